using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RelationshipLedger.EventStore.Digests;

/// <summary>
/// The Merkle tree of RFC 6962 (Certificate Transparency) over stream heads: a leaf is
/// SHA-256(0x00 ‖ leaf bytes), a node SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits at the
/// largest power of two below n. The prefixes keep a leaf from passing for a node; the split gives every
/// leaf an inclusion proof of log₂ n hashes.
/// </summary>
public static class MerkleTree
{
    /// <summary>
    /// The leaf of a stream head: SHA-256(0x00 ‖ UTF-8 byte count of the stream id as 4 bytes big-endian ‖
    /// the id's UTF-8 bytes ‖ the version as 8 bytes big-endian ‖ the head's 32-byte chain hash).
    /// </summary>
    public static byte[] LeafHash(StreamHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var id = Encoding.UTF8.GetBytes(head.StreamId);
        var bytes = new byte[1 + 4 + id.Length + 8 + head.Hash.Length];
        bytes[0] = 0x00;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), id.Length);
        id.CopyTo(bytes, 5);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(5 + id.Length), head.Version);
        head.Hash.CopyTo(bytes, 13 + id.Length);
        return SHA256.HashData(bytes);
    }

    /// <summary>The root over <paramref name="leaves"/> (leaf hashes, in order); SHA-256 of nothing for none.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        return leaves.Count == 0 ? SHA256.HashData([]) : RootOf(leaves, 0, leaves.Count);
    }

    /// <summary>The hashes that, with leaf <paramref name="index"/>, recompute the root (RFC 6962 §2.1.1), leaf side first.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var path = new List<byte[]>();
        Path(leaves, index, 0, leaves.Count, path);
        return path;
    }

    /// <summary>Whether <paramref name="proof"/> proves leaf <paramref name="index"/> of <paramref name="count"/> under <paramref name="root"/> (RFC 9162 §2.1.3.2).</summary>
    public static bool VerifyInclusion(byte[] leaf, long index, long count, IReadOnlyList<byte[]> proof, byte[] root)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(root);
        if (index < 0 || index >= count)
            return false;
        var (fn, sn, hash) = (index, count - 1, leaf);
        foreach (var sibling in proof)
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                hash = Node(sibling, hash);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
                hash = Node(hash, sibling);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && hash.AsSpan().SequenceEqual(root);
    }

    private static byte[] RootOf(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
            return leaves[start];
        var split = LargestPowerOfTwoBelow(count);
        return Node(RootOf(leaves, start, split), RootOf(leaves, start + split, count - split));
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int index, int start, int count, List<byte[]> path)
    {
        if (count == 1)
            return;
        var split = LargestPowerOfTwoBelow(count);
        if (index < split)
        {
            Path(leaves, index, start, split, path);
            path.Add(RootOf(leaves, start + split, count - split));
        }
        else
        {
            Path(leaves, index - split, start + split, count - split, path);
            path.Add(RootOf(leaves, start, split));
        }
    }

    private static byte[] Node(byte[] left, byte[] right)
    {
        var bytes = new byte[1 + left.Length + right.Length];
        bytes[0] = 0x01;
        left.CopyTo(bytes, 1);
        right.CopyTo(bytes, 1 + left.Length);
        return SHA256.HashData(bytes);
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
            k <<= 1;
        return k;
    }
}

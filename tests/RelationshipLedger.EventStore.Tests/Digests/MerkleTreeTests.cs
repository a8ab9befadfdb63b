using System.Security.Cryptography;
using RelationshipLedger.EventStore.Digests;

namespace RelationshipLedger.EventStore.Tests.Digests;

/// <summary>The RFC 6962 tree: roots worked out by hand for small trees, and inclusion proofs for every leaf.</summary>
public sealed class MerkleTreeTests
{
    private static readonly byte[][] Leaves = [.. Enumerable.Range(0, 17).Select(i => Sha([(byte)i]))];

    [Fact]
    public void The_root_of_no_leaves_is_the_hash_of_nothing_and_of_one_leaf_the_leaf()
    {
        Assert.Equal(Sha([]), MerkleTree.Root([]));
        Assert.Equal(Leaves[0], MerkleTree.Root([Leaves[0]]));
    }

    [Fact]
    public void Three_leaves_split_into_the_first_two_and_the_third()
    {
        var (a, b, c) = (Leaves[0], Leaves[1], Leaves[2]);

        Assert.Equal(Node(Node(a, b), c), MerkleTree.Root([a, b, c]));
    }

    [Fact]
    public void Five_leaves_split_at_four()
    {
        var l = Leaves;

        Assert.Equal(
            Node(Node(Node(l[0], l[1]), Node(l[2], l[3])), l[4]),
            MerkleTree.Root([l[0], l[1], l[2], l[3], l[4]])
        );
    }

    [Fact]
    public void A_leaf_hashes_its_prefix_the_id_length_the_id_the_version_and_the_chain_hash()
    {
        var hash = Sha([42]);
        byte[] expected = [0x00, 0, 0, 0, 3, (byte)'c', (byte)'-', (byte)'1', 0, 0, 0, 0, 0, 0, 1, 0, .. hash];

        Assert.Equal(Sha(expected), MerkleTree.LeafHash(new StreamHead("c-1", 256, hash)));
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_has_a_proof_that_verifies_and_no_other_leaf_or_place_passes()
    {
        for (var count = 1; count <= Leaves.Length; count++)
        {
            var leaves = Leaves[..count];
            var root = MerkleTree.Root(leaves);
            for (var index = 0; index < count; index++)
            {
                var proof = MerkleTree.InclusionProof(leaves, index);

                Assert.True(
                    MerkleTree.VerifyInclusion(leaves[index], index, count, proof, root),
                    $"{index} of {count}"
                );
                Assert.False(MerkleTree.VerifyInclusion(Sha([99]), index, count, proof, root));
                if (count > 1)
                    Assert.False(
                        MerkleTree.VerifyInclusion(leaves[index], (index + 1) % count, count, proof, root),
                        $"{index} of {count} at another place"
                    );
                if (proof.Count > 0)
                    Assert.False(
                        MerkleTree.VerifyInclusion(leaves[index], index, count, [.. proof.Skip(1)], root),
                        $"{index} of {count} with a proof cut short"
                    );
            }
        }
    }

    private static byte[] Node(byte[] left, byte[] right) => Sha([0x01, .. left, .. right]);

    private static byte[] Sha(byte[] bytes) => SHA256.HashData(bytes);
}

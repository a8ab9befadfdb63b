using System.Buffers.Binary;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>
/// The sum, modulo 2^256, of 256-bit row hashes (big-endian): a hash of a multiset of rows that
/// needs no order, so a table is hashed as it streams instead of sorted first. Every row counts, a
/// duplicate twice. It detects drift (a row missing, extra or different), which is what a rebuild
/// compares; it is not meant to resist someone forging rows on purpose.
/// </summary>
internal struct RowSum
{
    public const int Bytes = 32;

    // Least significant limb first.
    private ulong _limb0;
    private ulong _limb1;
    private ulong _limb2;
    private ulong _limb3;

    public void Add(ReadOnlySpan<byte> hash)
    {
        ulong carry = 0;
        _limb0 = AddWithCarry(_limb0, BinaryPrimitives.ReadUInt64BigEndian(hash[24..]), ref carry);
        _limb1 = AddWithCarry(_limb1, BinaryPrimitives.ReadUInt64BigEndian(hash[16..]), ref carry);
        _limb2 = AddWithCarry(_limb2, BinaryPrimitives.ReadUInt64BigEndian(hash[8..]), ref carry);
        _limb3 = AddWithCarry(_limb3, BinaryPrimitives.ReadUInt64BigEndian(hash), ref carry);
    }

    /// <summary>The sum as 32 big-endian bytes.</summary>
    public readonly void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _limb3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _limb2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _limb1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _limb0);
    }

    private static ulong AddWithCarry(ulong left, ulong right, ref ulong carry)
    {
        var sum = left + right;
        var carried = sum + carry;
        carry = (sum < left ? 1UL : 0UL) + (carried < sum ? 1UL : 0UL);
        return carried;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace RelationshipLedger.Application.Customers.Snapshots;

/// <summary>
/// Reads what <see cref="BinaryWriter"/> wrote (little-endian integers, 7-bit encoded lengths, UTF-8
/// strings, decimals as four ints), straight from a byte array: a snapshot of a long history has tens
/// of thousands of fields, and <see cref="BinaryReader"/> goes through the stream for each of them.
/// </summary>
public sealed class CompactReader(byte[] bytes)
{
    private int _position;

    public bool ReadBoolean() => bytes[_position++] != 0;

    public short ReadInt16()
    {
        var value = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(_position));
        _position += 2;
        return value;
    }

    public int ReadInt32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(_position));
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(_position));
        _position += 8;
        return value;
    }

    public decimal ReadDecimal()
    {
        ReadOnlySpan<int> bits = [ReadInt32(), ReadInt32(), ReadInt32(), ReadInt32()];
        return new decimal(bits);
    }

    /// <summary>As <see cref="BinaryReader.Read7BitEncodedInt"/>: at most 5 bytes, the bits of a uint.</summary>
    public int Read7BitEncodedInt() => unchecked((int)Read7BitEncoded(maxBytes: 5));

    /// <summary>As <see cref="BinaryReader.Read7BitEncodedInt64"/>: at most 10 bytes, the bits of a ulong.</summary>
    public long Read7BitEncodedInt64() => unchecked((long)Read7BitEncoded(maxBytes: 10));

    private ulong Read7BitEncoded(int maxBytes)
    {
        ulong value = 0;
        for (var i = 0; i < maxBytes; i++)
        {
            var b = bytes[_position++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
                return value;
        }
        throw new FormatException("A 7-bit encoded integer in a snapshot is too long.");
    }

    public string ReadString()
    {
        var length = Read7BitEncodedInt();
        var text = Encoding.UTF8.GetString(bytes, _position, length);
        _position += length;
        return text;
    }
}

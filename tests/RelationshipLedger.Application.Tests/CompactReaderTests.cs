using RelationshipLedger.Application.Customers.Snapshots;

namespace RelationshipLedger.Application.Tests;

/// <summary><see cref="CompactReader"/> reads back exactly what <see cref="BinaryWriter"/> wrote, edge values included.</summary>
public sealed class CompactReaderTests
{
    [Fact]
    public void Every_kind_of_field_reads_back_as_written()
    {
        int[] ints = [0, 1, 127, 128, 16_383, 16_384, int.MaxValue, -1, int.MinValue];
        long[] longs = [0, 300, long.MaxValue, -1, long.MinValue, 638_000_000_000_000_000];
        decimal[] decimals =
        [
            0m,
            0.001m,
            -12.50m,
            79_228_162_514_264_337_593_543_950_335m,
            1.0000000000000000000000000001m,
        ];
        string[] strings = ["", "EUR", "Zoë & Søn ✓ 日本", new string('x', 300)];
        short[] shorts = [0, -60, 840, short.MinValue];
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(true);
            writer.Write(false);
            foreach (var i in ints)
                writer.Write7BitEncodedInt(i);
            foreach (var l in longs)
            {
                writer.Write7BitEncodedInt64(l);
                writer.Write(l);
            }
            foreach (var d in decimals)
                writer.Write(d);
            foreach (var s in strings)
                writer.Write(s);
            foreach (var s in shorts)
                writer.Write(s);
        }

        var reader = new CompactReader(buffer.ToArray());

        Assert.Equal((true, false), (reader.ReadBoolean(), reader.ReadBoolean()));
        Assert.Equal(ints, ints.Select(_ => reader.Read7BitEncodedInt()));
        Assert.Equal(
            longs.SelectMany(l => new[] { l, l }),
            longs.SelectMany(_ => new[] { reader.Read7BitEncodedInt64(), reader.ReadInt64() })
        );
        Assert.Equal(decimals, decimals.Select(_ => reader.ReadDecimal()));
        Assert.Equal(strings, strings.Select(_ => reader.ReadString()));
        Assert.Equal(shorts, shorts.Select(_ => reader.ReadInt16()));
    }
}

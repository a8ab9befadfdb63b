using System.Security.Cryptography;
using RelationshipLedger.EventStore.Rebuilds;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// The content hash reads each table as a binary COPY export: the rows it finds and their sum do not
/// depend on how the stream is cut into reads, and a row longer than the read buffer counts like any other.
/// </summary>
public sealed class CopiedRowsTests : StoreTestClass
{
    [Fact]
    public async Task Rows_sum_alike_however_the_export_is_cut_and_however_long_a_row_is()
    {
        var export = await ExportAsync();

        var whole = await CopiedRows.SumAsync(new MemoryStream(export), CancellationToken.None);
        var trickled = await CopiedRows.SumAsync(new TricklingStream(export, 7), CancellationToken.None);

        Assert.Equal(1_002, whole.Rows);
        Assert.Equal(whole.Rows, trickled.Rows);
        Assert.Equal(Bytes(whole.Sum), Bytes(trickled.Sum));
    }

    [Fact]
    public async Task The_sum_is_of_each_rows_own_SHA_256()
    {
        // Two rows of one int column: a field count (2 bytes), a length (4) and the value (4) each,
        // after the 19-byte header and before the 2-byte trailer.
        var export = await ExportAsync(
            "ledger.two",
            "create table ledger.two (id int); insert into ledger.two values (1), (2)"
        );
        Assert.Equal(19 + 2 * 10 + 2, export.Length);
        var expected = new RowSum();
        expected.Add(SHA256.HashData(export.AsSpan(19, 10)));
        expected.Add(SHA256.HashData(export.AsSpan(29, 10)));

        var summed = await CopiedRows.SumAsync(new MemoryStream(export), CancellationToken.None);

        Assert.Equal(2, summed.Rows);
        Assert.Equal(Bytes(expected), Bytes(summed.Sum));
    }

    [Fact]
    public async Task An_export_cut_short_is_refused()
    {
        var export = await ExportAsync();

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            CopiedRows.SumAsync(new MemoryStream(export[..^2]), CancellationToken.None)
        );
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            CopiedRows.SumAsync(new MemoryStream(export[..(export.Length / 2)]), CancellationToken.None)
        );
    }

    /// <summary>A thousand short rows, one of nulls and one of 200,000 characters, as COPY sends them.</summary>
    private Task<byte[]> ExportAsync() =>
        ExportAsync(
            "ledger.copied",
            "create table ledger.copied (id int, label text, amount numeric); "
                + "insert into ledger.copied select i, 'row ' || i, i * 1.25 from generate_series(1, 1000) i; "
                + "insert into ledger.copied values (null, null, null), (1001, repeat('x', 200000), 0)"
        );

    /// <summary>The binary COPY export of <paramref name="table"/>, once <paramref name="createAndFill"/> has made it.</summary>
    private async Task<byte[]> ExportAsync(string table, string createAndFill)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using (var create = new Npgsql.NpgsqlCommand(createAndFill, connection))
            await create.ExecuteNonQueryAsync();
        var bytes = new MemoryStream();
        await using (var export = await connection.BeginRawBinaryCopyAsync($"copy {table} to stdout (format binary)"))
            await export.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    private static byte[] Bytes(RowSum sum)
    {
        var bytes = new byte[RowSum.Bytes];
        sum.WriteTo(bytes);
        return bytes;
    }

    /// <summary>Gives at most <paramref name="most"/> bytes a read, so rows and the header arrive cut.</summary>
    private sealed class TricklingStream(byte[] data, int most) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], cancellationToken);
    }
}

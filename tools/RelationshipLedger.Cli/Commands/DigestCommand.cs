using System.CommandLine;
using RelationshipLedger.EventStore.Digests;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger digest take|list|export|keygen</c>: digests of the whole log (a Merkle root over every stream's
/// head at a log position), exported signed to be kept outside the database (docs/digests.md).
/// </summary>
internal static class DigestCommand
{
    public static Command Create()
    {
        var take = new Command("take", "Take a digest of every stream's head now and store it in the database.");
        take.SetAction(TakeAsync);
        var list = new Command("list", "The digests taken so far, newest first.");
        list.SetAction(ListAsync);
        return new Command("digest", "Digests of the whole log: take them, list them, export them signed.")
        {
            take,
            list,
            DigestExportCommand.Create(),
            DigestKeygenCommand.Create(),
        };
    }

    private static async Task<int> TakeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var digest = await new LedgerDigests(connection.DataSource).TakeAsync(cancellationToken);
        Output.Results.Write(Describe(digest));
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var table = new Table()
            .AddColumn(new TableColumn("Id").RightAligned())
            .AddColumn("Taken at (UTC)")
            .AddColumn("Position")
            .AddColumn(new TableColumn("Streams").RightAligned())
            .AddColumn(new TableColumn("Events").RightAligned())
            .AddColumn("Root");
        foreach (var digest in await new LedgerDigests(connection.DataSource).ListAsync(100, cancellationToken))
            table.AddRow(
                $"{digest.Id}",
                $"{digest.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}",
                digest.Position.ToString(),
                $"{digest.Streams:N0}",
                $"{digest.Events:N0}",
                Convert.ToHexStringLower(digest.Root)
            );
        Output.Results.Write(table);
        return ExitCodes.Success;
    }

    public static Grid Describe(LedgerDigest digest)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Digest", $"{digest.Id}");
        grid.AddRow("Taken at", $"{digest.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff} UTC");
        grid.AddRow("Position", digest.Position.ToString());
        grid.AddRow("Streams", $"{digest.Streams:N0}");
        grid.AddRow("Events", $"{digest.Events:N0}");
        grid.AddRow("Root", Convert.ToHexStringLower(digest.Root));
        return grid;
    }
}

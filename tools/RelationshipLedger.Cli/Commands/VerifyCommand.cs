using System.CommandLine;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.EventStore.Serialization;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger verify [STREAM]</c>: recomputes hash chains from the stored rows. Exit code 0 when every
/// chain holds, 1 when one is broken, 4 when the stream does not exist. With <c>--against FILE</c>, also
/// proves that every stream still extends the heads of an exported digest (docs/digests.md).
/// </summary>
internal static class VerifyCommand
{
    private static readonly Argument<string?> StreamArgument = new("stream")
    {
        Description = "Verify only this stream; default: every stream in the log.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<FileInfo?> Against = new("--against")
    {
        Description = "A digest file from 'ledger digest export': every stream must still extend the head it saw.",
        HelpName = "file",
    };

    private static readonly Option<string?> PublicKey = DigestKeys.PublicKeyOption();

    public static Command Create()
    {
        var command = new Command(
            "verify",
            "Recompute the hash chains and report every stream whose chain or head does not hold."
        )
        {
            StreamArgument,
            Against,
            PublicKey,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var streamId = parseResult.GetValue(StreamArgument);
        if (streamId is not null && (streamId.Length == 0 || streamId.Length > EventStore.EventStore.MaxStreamIdLength))
            throw new UsageException($"A stream id has 1 to {EventStore.EventStore.MaxStreamIdLength} characters.");

        var against = parseResult.GetValue(Against);
        if (against is not null && streamId is not null)
            throw new UsageException("--against checks the whole log; give no stream with it.");
        var digest = against is null ? null : DigestFileCheck.Read(against, parseResult.GetValue(PublicKey));
        if (against is not null && digest is null)
            return ExitCodes.CheckFailed;

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var store = new EventStore.EventStore(
            connection.DataSource,
            new EventStoreOptions { Serializer = new EventSerializer(new EventTypeMap()) }
        );
        var verifier = new ChainVerifier(store);
        if (digest is not null)
            return await DigestFileCheck.VerifyAsync(connection.DataSource, verifier, digest, cancellationToken);
        return streamId is null
            ? await VerifyLogAsync(store, verifier, cancellationToken)
            : await VerifyStreamAsync(store, verifier, streamId, cancellationToken);
    }

    private static async Task<int> VerifyStreamAsync(
        EventStore.EventStore store,
        ChainVerifier verifier,
        string streamId,
        CancellationToken cancellationToken
    )
    {
        var verification = await verifier.VerifyStreamAsync(streamId, cancellationToken);
        if (verification.Events == 0 && await store.GetStreamAsync(streamId, cancellationToken) is null)
        {
            Output.Error($"There is no stream '{streamId}' in the log.");
            return ExitCodes.NotFound;
        }
        if (verification.FirstBroken is { } chainBreak)
        {
            ReportBroken([chainBreak]);
            Output.Results.MarkupLine($"[red]Stream '{Markup.Escape(streamId)}' is broken.[/]");
            return ExitCodes.CheckFailed;
        }
        Output.Results.MarkupLine(
            $"[green]Stream '{Markup.Escape(streamId)}' is intact:[/] {verification.Events:N0} events verified."
        );
        return ExitCodes.Success;
    }

    private static async Task<int> VerifyLogAsync(
        EventStore.EventStore store,
        ChainVerifier verifier,
        CancellationToken cancellationToken
    )
    {
        var total = await CountEventsAsync(store, cancellationToken);
        var verification = await Output
            .Results.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn()
            )
            .StartAsync(async context =>
            {
                var task = context.AddTask("Events verified", maxValue: Math.Max(total, 1));
                var progress = new ProgressReporter<long>(verified => task.Value = verified);
                var result = await verifier.VerifyAllAsync(progress, cancellationToken);
                task.Value = task.MaxValue;
                return result;
            });
        if (!verification.Valid)
        {
            ReportBroken(verification.Broken);
            Output.Results.MarkupLine(
                $"[red]{verification.Broken.Count:N0} of {verification.Streams:N0} streams are broken[/] ({verification.Events:N0} events read)."
            );
            return ExitCodes.CheckFailed;
        }
        Output.Results.MarkupLine(
            $"[green]The log is intact:[/] {verification.Events:N0} events in {verification.Streams:N0} streams verified."
        );
        return ExitCodes.Success;
    }

    private static async Task<long> CountEventsAsync(EventStore.EventStore store, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    internal static void ReportBroken(IEnumerable<ChainBreak> broken)
    {
        var table = new Table()
            .AddColumn("Stream")
            .AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn("Reason");
        foreach (var chainBreak in broken)
            table.AddRow(Markup.Escape(chainBreak.StreamId), $"{chainBreak.Version}", Markup.Escape(chainBreak.Reason));
        Output.Results.Write(table);
    }
}

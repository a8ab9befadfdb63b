using System.CommandLine;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.EventStore.Serialization;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger bundle CUSTOMER FILE [--digest-id N] [--signing-key PEM]</c>: one customer's proof bundle — its
/// stream as stored, its chain, and its inclusion in a digest, signed — for <c>ledger verify-bundle</c> to check
/// offline (docs/digests.md).
/// </summary>
internal static class BundleCommand
{
    private static readonly Argument<string> Customer = new("customer") { Description = "The customer (stream) id." };

    private static readonly Argument<FileInfo> File = new("file") { Description = "The bundle file to write (JSON)." };

    private static readonly Option<long?> DigestId = new("--digest-id")
    {
        Description = "Prove inclusion in this digest; default: the latest.",
        HelpName = "id",
    };

    private static readonly Option<string?> SigningKey = DigestKeys.SigningKeyOption();

    public static Command Create()
    {
        var command = new Command(
            "bundle",
            "Export one customer's stream, its hash chain and its inclusion in a digest, to verify offline."
        )
        {
            Customer,
            File,
            DigestId,
            SigningKey,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var customerId = parseResult.GetValue(Customer)!;
        var file = parseResult.GetValue(File)!;
        using var key = DigestKeys.LoadSigningKey(parseResult.GetValue(SigningKey));
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var digests = new LedgerDigests(connection.DataSource);
        var id = parseResult.GetValue(DigestId);
        if (await digests.GetAsync(id, cancellationToken) is not { } digest)
        {
            Output.Error(DigestKeys.NoDigest(id));
            return ExitCodes.NotFound;
        }
        var heads = await digests.HeadsAsync(digest.Id, cancellationToken);
        if (!heads.Any(h => h.StreamId == customerId))
        {
            Output.Error($"Digest {digest.Id} saw no stream '{customerId}': take a newer digest to bundle it.");
            return ExitCodes.NotFound;
        }
        var store = new EventStore.EventStore(
            connection.DataSource,
            new EventStoreOptions { Serializer = new EventSerializer(new EventTypeMap()) }
        );
        var events = new List<RecordedEvent>();
        await foreach (var recorded in store.ReadStreamAsync(customerId, StreamReadOptions.Stored, cancellationToken))
            events.Add(recorded);
        var bundle = ProofBundle.Create(customerId, events, SignedDigest.Sign(digest, [], key), heads);
        await System.IO.File.WriteAllTextAsync(file.FullName, bundle.ToJson(), cancellationToken);
        Output.Results.MarkupLine(
            $"Bundle of '{Markup.Escape(customerId)}': {events.Count:N0} events, included in digest {digest.Id} "
                + $"at version {bundle.Included.HeadVersion}; written to {Markup.Escape(file.FullName)}."
        );
        return ExitCodes.Success;
    }
}

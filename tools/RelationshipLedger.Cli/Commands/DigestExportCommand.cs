using System.CommandLine;
using RelationshipLedger.EventStore.Digests;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary><c>ledger digest export FILE [--id N | --take] [--signing-key PEM]</c>: writes a digest, signed, to a file.</summary>
internal static class DigestExportCommand
{
    private static readonly Argument<FileInfo> File = new("file") { Description = "The file to write (JSON)." };

    private static readonly Option<long?> Id = new("--id")
    {
        Description = "Export this digest; default: the latest.",
        HelpName = "id",
    };

    private static readonly Option<bool> Take = new("--take") { Description = "Take a new digest and export it." };

    private static readonly Option<string?> SigningKey = DigestKeys.SigningKeyOption();

    public static Command Create()
    {
        var command = new Command(
            "export",
            "Write a digest with every head under its root, signed (ECDSA P-256), to a file to keep outside the database."
        )
        {
            File,
            Id,
            Take,
            SigningKey,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(File)!;
        var (id, take) = (parseResult.GetValue(Id), parseResult.GetValue(Take));
        if (id is not null && take)
            throw new UsageException("Give --id or --take, not both.");
        using var key = DigestKeys.LoadSigningKey(parseResult.GetValue(SigningKey));
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var digests = new LedgerDigests(connection.DataSource);
        var digest = take ? await digests.TakeAsync(cancellationToken) : await digests.GetAsync(id, cancellationToken);
        if (digest is null)
        {
            Output.Error(DigestKeys.NoDigest(id));
            return ExitCodes.NotFound;
        }
        var heads = await digests.HeadsAsync(digest.Id, cancellationToken);
        var signed = SignedDigest.Sign(digest, heads, key);
        await System.IO.File.WriteAllTextAsync(file.FullName, signed.ToJson(), cancellationToken);
        Output.Results.Write(DigestCommand.Describe(digest));
        Output.Results.MarkupLine(
            $"Signed by key {SignedDigest.Fingerprint(key.ExportSubjectPublicKeyInfo())}; written to {Markup.Escape(file.FullName)}."
        );
        return ExitCodes.Success;
    }
}

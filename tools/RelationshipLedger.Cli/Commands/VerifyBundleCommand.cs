using System.CommandLine;
using RelationshipLedger.EventStore.Digests;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger verify-bundle FILE [--public-key PEM]</c>: checks a proof bundle offline, without a database —
/// canonical form, chain, inclusion under the digest's root, signature. Exit 0 when it proves the stream, 1 when not.
/// </summary>
internal static class VerifyBundleCommand
{
    private static readonly Argument<FileInfo> File = new("file") { Description = "A bundle from 'ledger bundle'." };

    private static readonly Option<string?> PublicKey = DigestKeys.PublicKeyOption();

    public static Command Create()
    {
        var command = new Command(
            "verify-bundle",
            "Check a customer's proof bundle offline: its chain, its inclusion in the digest, the digest's signature."
        )
        {
            File,
            PublicKey,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(File)!;
        string text;
        try
        {
            text = await System.IO.File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read the bundle '{file.FullName}': {e.Message}");
        }
        using var trusted = DigestKeys.LoadPublicKey(parseResult.GetValue(PublicKey));
        var (bundle, problem) = ProofBundle.Verify(text, trusted);
        if (bundle is null || problem is not null)
        {
            Output.Error($"The bundle does not prove anything: {problem}.");
            return ExitCodes.CheckFailed;
        }
        Output.Results.MarkupLine(
            $"[green]The bundle proves stream '{Markup.Escape(bundle.StreamId)}':[/] {bundle.Events.Count:N0} events chain "
                + $"correctly, and version {bundle.Included.HeadVersion} is included in digest {bundle.Digest.Id} "
                + $"(taken {bundle.Digest.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, root {bundle.Digest.Root})."
        );
        Output.Results.MarkupLine(DigestKeys.SignerLine(bundle.Digest.Signature.PublicKey, trusted is not null));
        return ExitCodes.Success;
    }
}

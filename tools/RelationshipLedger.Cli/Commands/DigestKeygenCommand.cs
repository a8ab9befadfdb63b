using System.CommandLine;
using System.Security.Cryptography;
using RelationshipLedger.EventStore.Digests;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary><c>ledger digest keygen FILE</c>: a new P-256 key pair, the private key in FILE (owner-only), the public in FILE.pub.</summary>
internal static class DigestKeygenCommand
{
    private static readonly Argument<FileInfo> File = new("file")
    {
        Description = "Where to write the private key (PEM); the public key goes to FILE.pub.",
    };

    public static Command Create()
    {
        var command = new Command("keygen", "Create a P-256 key pair for signing digests.") { File };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(File)!;
        var publicFile = file.FullName + ".pub";
        if (file.Exists || System.IO.File.Exists(publicFile))
            throw new UsageException($"'{file.FullName}' or its .pub exists already; a key is never overwritten.");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var writer = new StreamWriter(file.FullName, options))
            await writer.WriteAsync(key.ExportPkcs8PrivateKeyPem().AsMemory(), cancellationToken);
        await System.IO.File.WriteAllTextAsync(publicFile, key.ExportSubjectPublicKeyInfoPem(), cancellationToken);
        Output.Results.MarkupLine($"Private key: {Markup.Escape(file.FullName)} (keep it secret)");
        Output.Results.MarkupLine($"Public key:  {Markup.Escape(publicFile)} (give it to whoever verifies)");
        Output.Results.MarkupLine($"Fingerprint: {SignedDigest.Fingerprint(key.ExportSubjectPublicKeyInfo())}");
        return ExitCodes.Success;
    }
}

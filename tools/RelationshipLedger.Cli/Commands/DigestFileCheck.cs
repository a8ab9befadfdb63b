using System.Text.Json;
using Npgsql;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.EventStore.Integrity;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger verify --against FILE</c>: the file must be an authentic digest (its heads hash to its root, its
/// signature holds, by the pinned key when one is given); then every chain is recomputed and every stream
/// the digest saw must still hold the event it saw at its head. Names each stream that fails, and why.
/// </summary>
internal static class DigestFileCheck
{
    /// <summary>
    /// The digest in <paramref name="file"/>, checked offline: null (the reason printed) when it cannot be
    /// trusted; a usage error when it is no digest file at all.
    /// </summary>
    public static SignedDigest? Read(FileInfo file, string? publicKeyPath)
    {
        SignedDigest digest;
        try
        {
            digest = SignedDigest.FromJson(File.ReadAllText(file.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read the digest file '{file.FullName}': {e.Message}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"'{file.FullName}' is not a digest file: {e.Message}");
        }
        using var trusted = DigestKeys.LoadPublicKey(publicKeyPath);
        if (digest.Problem(trusted) is { } problem)
        {
            Output.Error($"The digest file '{file.FullName}' cannot be trusted: {problem}.");
            return null;
        }
        Output.Results.MarkupLine(
            $"Digest {digest.Id} taken {digest.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC at position {digest.Position}: "
                + $"{digest.Streams:N0} streams, {digest.Events:N0} events, root {digest.Root}"
        );
        Output.Results.MarkupLine(DigestKeys.SignerLine(digest.Signature.PublicKey, trusted is not null));
        return digest;
    }

    public static async Task<int> VerifyAsync(
        NpgsqlDataSource dataSource,
        ChainVerifier verifier,
        SignedDigest digest,
        CancellationToken cancellationToken
    )
    {
        var chains = await verifier.VerifyAllAsync(cancellationToken: cancellationToken);
        var discrepancies = await new DigestComparison(dataSource).CompareAsync(
            digest.StreamHeads()!,
            cancellationToken
        );
        if (chains.Valid && discrepancies.Count == 0)
        {
            Output.Results.MarkupLine(
                $"[green]The log extends the digest:[/] all {digest.Streams:N0} streams it saw still hold their heads, "
                    + $"and {chains.Events:N0} events in {chains.Streams:N0} streams verify."
            );
            return ExitCodes.Success;
        }
        var table = new Table().AddColumn("Stream").AddColumn("Problem");
        foreach (var discrepancy in discrepancies)
            table.AddRow(Markup.Escape(discrepancy.StreamId), Markup.Escape(discrepancy.Reason));
        foreach (var chainBreak in chains.Broken)
            table.AddRow(
                Markup.Escape(chainBreak.StreamId),
                Markup.Escape($"chain broken at version {chainBreak.Version}: {chainBreak.Reason}")
            );
        Output.Results.Write(table);
        var named = discrepancies.Select(d => d.StreamId).Concat(chains.Broken.Select(b => b.StreamId)).Distinct();
        Output.Results.MarkupLine($"[red]{named.Count():N0} streams do not extend the digest or do not verify.[/]");
        return ExitCodes.CheckFailed;
    }
}

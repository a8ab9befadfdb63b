using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.EventStore.Integrity;

namespace RelationshipLedger.Api.Audit;

/// <summary>A digest as the API shows it: position as a feed cursor, root as hex.</summary>
public sealed record DigestAnswer(
    long Id,
    DateTimeOffset TakenAt,
    string Position,
    long Streams,
    long Events,
    string Root
)
{
    public static DigestAnswer From(LedgerDigest digest) =>
        new(
            digest.Id,
            digest.TakenAt,
            digest.Position.ToString(),
            digest.Streams,
            digest.Events,
            Convert.ToHexStringLower(digest.Root)
        );
}

/// <summary>A broken chain or a stream that no longer extends the latest digest.</summary>
public sealed record StreamProblem(string StreamId, string Problem, long? Version, string Reason);

/// <summary>
/// <c>GET /ledger/verify</c>: every chain recomputed, and every stream compared with the latest digest's heads
/// (null when no digest has been taken).
/// </summary>
public sealed record LedgerVerifyAnswer(
    bool Valid,
    long Streams,
    long Events,
    DigestAnswer? ComparedWith,
    IReadOnlyList<StreamProblem> Problems
);

/// <summary>Digests of the whole log and the whole log's verification (role <c>auditor</c>; docs/digests.md).</summary>
public static class LedgerIntegrityApi
{
    private const int DigestsListed = 100;

    public static IEndpointRouteBuilder MapLedgerIntegrityApi(this IEndpointRouteBuilder endpoints)
    {
        var ledger = endpoints.MapGroup("/ledger").RequireAuthorization(Roles.Auditor).WithTags("Audit");
        ledger
            .MapGet("/digests", ListDigestsAsync)
            .WithSummary("The digests taken so far, newest first (at most 100).")
            .Produces<IReadOnlyList<DigestAnswer>>();
        ledger
            .MapGet("/digests/{id:long}", GetDigestAsync)
            .WithSummary("One digest (its heads are exported with 'ledger digest export').")
            .Produces<DigestAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        ledger
            .MapPost("/digests", TakeDigestAsync)
            .WithSummary("Takes a digest: the Merkle root over every stream's head at the readable end of the log.")
            .Produces<DigestAnswer>(StatusCodes.Status201Created);
        ledger
            .MapGet("/verify", VerifyAsync)
            .WithSummary("Recomputes every chain and compares every stream with the latest digest's heads.")
            .Produces<LedgerVerifyAnswer>();
        return endpoints;
    }

    private static async Task<IResult> ListDigestsAsync(LedgerDigests digests, CancellationToken cancellationToken) =>
        TypedResults.Ok((await digests.ListAsync(DigestsListed, cancellationToken)).Select(DigestAnswer.From).ToList());

    private static async Task<IResult> GetDigestAsync(
        long id,
        LedgerDigests digests,
        CancellationToken cancellationToken
    ) =>
        await digests.GetAsync(id, cancellationToken) is { } digest
            ? TypedResults.Ok(DigestAnswer.From(digest))
            : Problems.Problem(
                StatusCodes.Status404NotFound,
                "Unknown digest.",
                "digest-not-found",
                $"There is no digest {id}."
            );

    private static async Task<IResult> TakeDigestAsync(LedgerDigests digests, CancellationToken cancellationToken)
    {
        var digest = await digests.TakeAsync(cancellationToken);
        return TypedResults.Created($"/ledger/digests/{digest.Id}", DigestAnswer.From(digest));
    }

    private static async Task<IResult> VerifyAsync(
        ChainVerifier verifier,
        LedgerDigests digests,
        DigestComparison comparison,
        CancellationToken cancellationToken
    )
    {
        var latest = await digests.GetAsync(null, cancellationToken);
        var heads = latest is null ? null : await digests.HeadsAsync(latest.Id, cancellationToken);
        var digest = latest is null ? null : DigestAnswer.From(latest);
        return TypedResults.Ok(await VerifyAgainstAsync(verifier, comparison, heads, digest, cancellationToken));
    }

    /// <summary>Every chain recomputed and, when <paramref name="heads"/> are given, every stream compared with them.</summary>
    internal static async Task<LedgerVerifyAnswer> VerifyAgainstAsync(
        ChainVerifier verifier,
        DigestComparison comparison,
        IReadOnlyList<StreamHead>? heads,
        DigestAnswer? digest,
        CancellationToken cancellationToken
    )
    {
        var chains = await verifier.VerifyAllAsync(cancellationToken: cancellationToken);
        var problems = chains
            .Broken.Select(b => new StreamProblem(b.StreamId, "ChainBroken", b.Version, b.Reason))
            .ToList();
        if (heads is not null)
            foreach (var discrepancy in await comparison.CompareAsync(heads, cancellationToken))
                problems.Add(
                    new StreamProblem(discrepancy.StreamId, discrepancy.Kind.ToString(), null, discrepancy.Reason)
                );
        problems.Sort((a, b) => string.CompareOrdinal(a.StreamId, b.StreamId));
        return new LedgerVerifyAnswer(problems.Count == 0, chains.Streams, chains.Events, digest, problems);
    }
}

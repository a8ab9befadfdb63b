using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.EventStore.Integrity;

namespace RelationshipLedger.Api.Audit;

/// <summary>
/// The answer to <c>POST /ledger/verify</c>: the verification against the uploaded digest, and the key that
/// signed it (SubjectPublicKeyInfo, base64) for the auditor to compare with the key they trust.
/// </summary>
public sealed record ExportedDigestVerifyAnswer(string SignerPublicKey, LedgerVerifyAnswer Verification);

/// <summary>
/// <c>POST /ledger/verify</c> (role <c>auditor</c>): the body is a digest file as <c>ledger digest export</c>
/// wrote it. The file must be authentic on its own — its heads hash to its root, its signature holds — then
/// every chain is recomputed and every stream it saw must still extend its head (docs/digests.md). The same
/// check as <c>ledger verify --against FILE</c>, for an auditor with only a browser (the audit page uploads
/// the file); the CLI's check also runs offline and can pin the signer's key.
/// </summary>
public static class ExportedDigestApi
{
    /// <summary>The largest digest file taken (about 200,000 streams); a larger one is checked with <c>ledger verify --against</c>.</summary>
    public const int MaxDigestFileBytes = 32 * 1024 * 1024;

    public static IEndpointRouteBuilder MapExportedDigestApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapPost("/ledger/verify", VerifyAgainstFileAsync)
            .RequireAuthorization(Roles.Auditor)
            .WithTags("Audit")
            .WithSummary(
                "Verifies the log against an exported, signed digest file sent as the body: the file's root and signature, every chain, and every stream it saw still extending its head."
            )
            .Produces<ExportedDigestVerifyAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return endpoints;
    }

    private static async Task<IResult> VerifyAgainstFileAsync(
        HttpRequest request,
        ChainVerifier verifier,
        DigestComparison comparison,
        CancellationToken cancellationToken
    )
    {
        if (request.ContentLength > MaxDigestFileBytes)
            return Problems.TooLarge(MaxDigestFileBytes);
        // A body sent without a length is cut off at the same size (a 413 from the exception handler).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxDigestFileBytes;
        string text;
        using (var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true)))
        {
            try
            {
                text = await reader.ReadToEndAsync(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                return Problems.Invalid(
                    "body",
                    "is not UTF-8 text: send the digest file as ledger digest export wrote it."
                );
            }
        }
        SignedDigest digest;
        try
        {
            digest = SignedDigest.FromJson(text);
        }
        catch (JsonException exception)
        {
            return Problems.Invalid("body", $"is not a digest file: {exception.Message}");
        }
        if (digest.Problem(trustedPublicKey: null) is { } problem)
            return Problems.Problem(
                StatusCodes.Status422UnprocessableEntity,
                "The digest file cannot be trusted.",
                "digest-untrusted",
                $"The digest file cannot be trusted: {problem}."
            );
        var answer = new DigestAnswer(
            digest.Id,
            digest.TakenAt,
            digest.Position,
            digest.Streams,
            digest.Events,
            digest.Root
        );
        var verification = await LedgerIntegrityApi.VerifyAgainstAsync(
            verifier,
            comparison,
            digest.StreamHeads(),
            answer,
            cancellationToken
        );
        return TypedResults.Ok(new ExportedDigestVerifyAnswer(digest.Signature.PublicKey, verification));
    }
}

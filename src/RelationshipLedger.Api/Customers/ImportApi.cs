using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Import;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Customers;

/// <summary><c>POST /customers/import</c>: NDJSON history from another CRM (role <c>recorder</c>).</summary>
public static class ImportApi
{
    public const string ContentType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapPost("/customers/import", ImportAsync)
            .RequireAuthorization(Roles.Recorder)
            .WithTags("Commands")
            .WithSummary("Imports events, one JSON object per line: { customerId, type, occurredAt, data, eventId? }.")
            .Accepts<string>(ContentType)
            .Produces<ImportReport>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return endpoints;
    }

    private static async Task<IResult> ImportAsync(
        HttpContext http,
        CustomerImporter importer,
        IOptions<RequestLimits> limits
    )
    {
        var contentType = http.Request.ContentType ?? "";
        if (!contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType($"Send the import as {ContentType}: one event per line.");
        var maxBytes = limits.Value.MaxImportBytes;
        // A declared length over the limit is refused before a line is read, so nothing is appended.
        if (http.Request.ContentLength > maxBytes)
            return Problems.TooLarge(maxBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = maxBytes;
        // A body without a length that grows past the limit stops the import at that point (every server, also
        // the in-memory one, through this stream); the batches before it stay, and a re-run skips them.
        await using var body = new BoundedReadStream(http.Request.Body, maxBytes);
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var context = new CommandContext(Policies.ActorOf(http.User))
        {
            CorrelationId = http.TraceIdentifier,
            Reason = "import",
        };
        try
        {
            var report = await importer.ImportAsync(reader, context, cancellationToken: http.RequestAborted);
            return TypedResults.Ok(report);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.TooLarge(maxBytes);
        }
    }
}

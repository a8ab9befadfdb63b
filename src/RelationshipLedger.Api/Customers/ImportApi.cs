using Microsoft.AspNetCore.Http.Features;
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

    /// <summary>Years of history for many customers: far more than a command, still bounded.</summary>
    public const long MaxImportBytes = 1L << 30;

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapPost("/customers/import", ImportAsync)
            .RequireAuthorization(Roles.Recorder)
            .WithTags("Commands")
            .WithSummary("Imports events, one JSON object per line: { customerId, type, occurredAt, data, eventId? }.")
            .Accepts<string>(ContentType)
            .Produces<ImportReport>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return endpoints;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, CustomerImporter importer)
    {
        var contentType = http.Request.ContentType ?? "";
        if (!contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType($"Send the import as {ContentType}: one event per line.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxImportBytes;
        using var reader = new StreamReader(
            http.Request.Body,
            System.Text.Encoding.UTF8,
            detectEncodingFromByteOrderMarks: false
        );
        var context = new CommandContext(Policies.ActorOf(http.User))
        {
            CorrelationId = http.TraceIdentifier,
            Reason = "import",
        };
        var report = await importer.ImportAsync(reader, context, cancellationToken: http.RequestAborted);
        return TypedResults.Ok(report);
    }
}

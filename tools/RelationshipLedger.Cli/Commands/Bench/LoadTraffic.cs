using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The HTTP side of <c>ledger bench load</c>: writers that record purchases (each with an Idempotency-Key)
/// on customers of their own, and readers that take turns at the overview, a time-travel read (asOf and
/// knownAt) and a page of the feed (<c>GET /events</c>). Each runs in a closed loop until stopped.
/// </summary>
internal sealed class LoadTraffic(HttpClient client, LoadRecorder recorder)
{
    public const int FeedPageSize = 100;

    /// <summary>When every customer was registered: time-travel reads ask about instants since then.</summary>
    public DateTimeOffset SeededAt { get; set; } = DateTimeOffset.UtcNow;

    public static HttpClient CreateClient(ApiProcess api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        var client = new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Key);
        return client;
    }

    /// <summary>Registers <paramref name="customerId"/> through <c>POST /customers</c>.</summary>
    public async Task RegisterAsync(string customerId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "customers")
        {
            Content = JsonContent.Create(
                new
                {
                    customerId,
                    name = $"Load {customerId}",
                    kind = "Organization",
                }
            ),
        };
        request.Headers.Add("Idempotency-Key", $"register-{customerId}");
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"Registering {customerId} answered {(int)response.StatusCode}: "
                    + await response.Content.ReadAsStringAsync(cancellationToken)
            );
    }

    public async Task WriteAsync(
        int writer,
        IReadOnlyList<string> customers,
        Func<bool> stopped,
        CancellationToken cancellationToken
    )
    {
        for (var order = 0L; !stopped(); order++)
        {
            var customerId = customers[(int)(order % customers.Count)];
            var orderId = $"load-w{writer}-{order:0000000}";
            var amount = 5m + (order * 7919 % 49_500) / 100m;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"customers/{customerId}/purchases")
            {
                Content = JsonContent.Create(
                    new
                    {
                        orderId,
                        amount,
                        currency = "EUR",
                    }
                ),
            };
            request.Headers.Add("Idempotency-Key", orderId);
            await TimeAsync(LoadKind.Append, request, cancellationToken);
        }
    }

    public async Task ReadAsync(
        int reader,
        IReadOnlyList<string> customers,
        Func<bool> stopped,
        CancellationToken cancellationToken
    )
    {
        var random = new Random(reader);
        var cursor = "";
        for (var turn = 0L; !stopped(); turn++)
        {
            var customerId = customers[random.Next(customers.Count)];
            switch ((LoadKind)(1 + turn % 3))
            {
                case LoadKind.Overview:
                    await GetAsync(LoadKind.Overview, $"customers/{customerId}", cancellationToken);
                    break;
                case LoadKind.TimeTravel:
                    var since = DateTimeOffset.UtcNow - SeededAt;
                    var asOf = Instant(SeededAt + since * random.NextDouble());
                    var knownAt = Instant(SeededAt + since * random.NextDouble());
                    await GetAsync(
                        LoadKind.TimeTravel,
                        $"customers/{customerId}?asOf={asOf}&knownAt={knownAt}",
                        cancellationToken
                    );
                    break;
                default:
                    var page = await GetAsync(
                        LoadKind.Feed,
                        $"events?limit={FeedPageSize}{(cursor.Length > 0 ? $"&after={cursor}" : "")}",
                        cancellationToken
                    );
                    cursor = page is { } json ? NextCursor(json) : "";
                    break;
            }
        }
    }

    /// <summary>The cursor after a full page; back to the start of the log after the last one.</summary>
    private static string NextCursor(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return root.GetProperty("events").GetArrayLength() == FeedPageSize
            ? Uri.EscapeDataString(root.GetProperty("next").GetString() ?? "")
            : "";
    }

    private static string Instant(DateTimeOffset instant) =>
        Uri.EscapeDataString(instant.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));

    private async Task<string?> GetAsync(LoadKind kind, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await TimeAsync(kind, request, cancellationToken);
    }

    /// <summary>Sends and reads the whole answer; records the time taken, or a failure; the body of a success.</summary>
    private async Task<string?> TimeAsync(
        LoadKind kind,
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                recorder.Succeeded(kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return body;
            }
            recorder.Failed(
                kind,
                $"{(int)response.StatusCode} {request.RequestUri}: {body[..Math.Min(body.Length, 300)]}"
            );
        }
        catch (HttpRequestException exception)
        {
            recorder.Failed(kind, $"{request.RequestUri}: {exception.Message}");
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Failed(kind, $"{request.RequestUri}: timed out ({exception.Message})");
        }
        return null;
    }
}

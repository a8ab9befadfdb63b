using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>One Server-Sent Events message: its id, event name and data (the event as JSON).</summary>
public sealed record SseMessage(string? Id, string? Event, string Data)
{
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Data);

    public Guid EventId => Json.GetProperty("eventId").GetGuid();
}

/// <summary>
/// A client of <c>GET /events/stream</c> as an EventSource reads it: line by line, messages separated
/// by blank lines, comments kept apart. Every read has a deadline; disposing it hangs up.
/// </summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly ConcurrentQueue<string> _comments = new();

    private EventStreamClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>The comments read so far; safe to look at while another task reads the stream.</summary>
    public IReadOnlyList<string> Comments => [.. _comments];

    public static async Task<EventStreamClient> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var deadline = new CancellationTokenSource(Eventually.DefaultTimeout);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        if (response.StatusCode != HttpStatusCode.OK)
            Assert.Fail(
                $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
            );
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        return new EventStreamClient(response, new StreamReader(body, Encoding.UTF8));
    }

    /// <summary>The next <paramref name="count"/> messages; fails if the stream ends or stalls first.</summary>
    public async Task<IReadOnlyList<SseMessage>> TakeAsync(int count)
    {
        var messages = new List<SseMessage>(count);
        while (messages.Count < count)
            messages.Add(
                await NextAsync()
                    ?? throw new InvalidOperationException(
                        $"The stream ended after {messages.Count} of {count} messages."
                    )
            );
        return messages;
    }

    /// <summary>The next message, or null when the server ended the stream.</summary>
    public async Task<SseMessage?> NextAsync()
    {
        using var deadline = new CancellationTokenSource(Eventually.DefaultTimeout);
        string? id = null;
        string? name = null;
        var data = new StringBuilder();
        var hasField = false;
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"No complete message within {Eventually.DefaultTimeout.TotalSeconds:0} s.");
            }
            if (line is null)
                return null;
            if (line.Length == 0)
            {
                if (hasField)
                    return new SseMessage(id, name, data.ToString());
                continue;
            }
            if (line.StartsWith(':'))
            {
                _comments.Enqueue(line);
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
                value = value[1..];
            hasField = true;
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
            }
        }
    }

    /// <summary>Reads until the server ends the stream, collecting comments and messages on the way.</summary>
    public async Task<IReadOnlyList<SseMessage>> ReadToEndAsync()
    {
        var messages = new List<SseMessage>();
        while (await NextAsync() is { } message)
            messages.Add(message);
        return messages;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

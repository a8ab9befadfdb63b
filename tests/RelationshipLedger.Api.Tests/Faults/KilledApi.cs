using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>An acknowledged command: the events its answer named, and whether the answer was a replay.</summary>
public sealed record Acknowledged(IdempotentCommand Command, IReadOnlyList<Guid> EventIds, bool Replayed);

/// <summary>
/// The API process that a test kills and restarts, and clients that send a command until it is
/// acknowledged. A client whose request fails waits for the next restart rather than spinning: the
/// API is marked down before it is killed, and up again once its successor answers /health.
/// </summary>
public sealed class KilledApi(string connectionString, string bootstrapKey) : IAsyncDisposable
{
    private const int AttemptsPerCommand = 50;
    private readonly Lock _lock = new();
    private readonly List<Acknowledged> _acknowledged = [];
    private ApiProcess? _process;
    private TaskCompletionSource<Uri> _up = NewSignal();
    private int _failedAttempts;

    public int Kills { get; private set; }

    /// <summary>Attempts that got no answer: cut by a kill, or refused while the API was down.</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    public int AcknowledgedCount
    {
        get
        {
            lock (_lock)
                return _acknowledged.Count;
        }
    }

    public IReadOnlyList<Acknowledged> Acknowledgements
    {
        get
        {
            lock (_lock)
                return [.. _acknowledged];
        }
    }

    /// <summary>A client with the bootstrap key (every role) and a timeout that no request of a live API reaches.</summary>
    public HttpClient NewClient()
    {
        var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bootstrapKey);
        return client;
    }

    public async Task StartAsync()
    {
        _process = await ApiProcess.StartAsync(connectionString, bootstrapKey);
        _up.SetResult(_process.BaseAddress);
    }

    /// <summary>The running API's address, once it is up.</summary>
    public Task<Uri> WhenUpAsync() => Volatile.Read(ref _up).Task;

    /// <summary>Marks the API down, SIGKILLs it, and starts a new process on a new port.</summary>
    public async Task KillAndRestartAsync()
    {
        Volatile.Write(ref _up, NewSignal());
        await _process!.KillAsync();
        _process.Dispose();
        Kills++;
        _process = await ApiProcess.StartAsync(connectionString, bootstrapKey);
        _up.SetResult(_process.BaseAddress);
    }

    /// <summary>
    /// Sends <paramref name="command"/> until it is acknowledged (200 or 201), always with the same key
    /// and body. A refused or cut request, a 503 and a 409 concurrent-modification are tried again;
    /// any other answer fails the test.
    /// </summary>
    public async Task<Acknowledged> SendUntilAcknowledgedAsync(HttpClient client, IdempotentCommand command)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 1; attempt <= AttemptsPerCommand; attempt++)
        {
            var api = await WhenUpAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, command.Path))
            {
                Content = new StringContent(command.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", command.Key);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                // Killed mid-request, or refused: whether it was appended, only a retry with the key tells.
                // The API is marked down before it is killed, so the next attempt waits for its successor.
                Interlocked.Increment(ref _failedAttempts);
                continue;
            }
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
                    return Acknowledge(
                        command,
                        response,
                        await response.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json)
                    );
                var text = await response.Content.ReadAsStringAsync();
                if (!IsRetryable(response.StatusCode, text))
                    Assert.Fail($"POST {command.Path} ({command.Key}) answered {(int)response.StatusCode}: {text}");
            }
        }
        throw new InvalidOperationException($"{command.Key} was not acknowledged in {AttemptsPerCommand} attempts.");
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The last lines the running process wrote.</summary>
    public string RecentOutput() => _process?.RecentOutput() ?? "";

    private Acknowledged Acknowledge(IdempotentCommand command, HttpResponseMessage response, CommandAnswer? answer)
    {
        Assert.NotNull(answer);
        var acknowledged = new Acknowledged(
            command,
            answer.EventIds,
            response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true")
        );
        lock (_lock)
            _acknowledged.Add(acknowledged);
        return acknowledged;
    }

    private static bool IsRetryable(HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.ServiceUnavailable)
            return true;
        if (status != HttpStatusCode.Conflict)
            return false;
        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.TryGetProperty("code", out var code)
            && code.GetString() == "concurrent-modification";
    }

    private static TaskCompletionSource<Uri> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

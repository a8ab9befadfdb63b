using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>
/// Hundreds of generated NDJSON imports to <c>POST /customers/import</c> whose every line is malformed
/// (<see cref="HostileImportLines"/>): each is answered 200 with every line reported bad and nothing appended
/// (an import reports its lines one by one), a wrong media type is a 415 problem, none is a 5xx; the log
/// holds exactly as many events afterwards, and the API is healthy and imports a good line after. Seeded
/// like <see cref="HostileInputTests"/> (<c>LEDGER_HOSTILE_SEED</c>).
/// </summary>
public sealed class HostileImportTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private const int DefaultSeed = 20261205;
    private const int Imports = 600;

    private static int Seed => HostileRun.Seed(DefaultSeed);

    [Fact]
    public async Task Imports_of_malformed_lines_report_every_line_append_nothing_and_never_fail_the_server()
    {
        var id = LedgerHttp.NewCustomerId("hostile-import");
        await api.Recorder.RegisterAsync(id);
        var imports = new HostileImportLines(new Random(Seed), id).Generate(Imports);
        var eventsBefore = await CountEventsAsync();
        var wrong = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(
            imports,
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (import, cancellationToken) =>
            {
                var problem = await WrongAnswerAsync(import, cancellationToken);
                if (problem is not null)
                    wrong.Add($"{problem}: {import}");
            }
        );

        Assert.True(
            wrong.IsEmpty,
            $"{wrong.Count} of {Imports} malformed imports (seed {Seed}) were not refused line by line:\n"
                + string.Join("\n", wrong.OrderBy(w => w, StringComparer.Ordinal).Take(25))
        );
        Assert.Equal(eventsBefore, await CountEventsAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/health")).StatusCode);
        var good = HostileImportLines.ValidLine(
            id,
            CommandShape.All.Single(s => s.Route == "/customers/{customerId}/surveys"),
            "SatisfactionSurveyed"
        );
        var after = await api.Recorder.PostTextAsync(
            "/customers/import",
            good.ToJsonString() + "\n",
            "application/x-ndjson"
        );
        Assert.Equal(1, (await after.ReadJsonAsync()).GetProperty("appended").GetInt32());
        Assert.Equal(eventsBefore + 1, await CountEventsAsync());
    }

    [Fact]
    public async Task A_malformed_import_sent_as_json_is_a_415_problem()
    {
        var import = new HostileImportLines(new Random(Seed), "anyone").Generate(1)[0];
        using var content = new ByteArrayContent(import.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await api.Recorder.PostAsync("/customers/import", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    /// <summary>What is wrong with the answer to <paramref name="import"/>, or null when it refused every line.</summary>
    private async Task<string?> WrongAnswerAsync(HostileImport import, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(import.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await api.Recorder.PostAsync("/customers/import", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            return $"{(int)response.StatusCode} {text}";
        using var report = JsonDocument.Parse(text);
        var root = report.RootElement;
        var appended = root.GetProperty("appended").GetInt32();
        var refused = root.GetProperty("errors").GetArrayLength() + root.GetProperty("notAppended").GetInt32();
        return appended == 0 && root.GetProperty("skipped").GetInt32() == 0 && refused == import.Lines
            ? null
            : $"appended {appended}, refused {refused} of {import.Lines} lines: {text}";
    }

    private Task<long> CountEventsAsync() => HostileRun.CountEventsAsync(api.Database.DataSource);
}

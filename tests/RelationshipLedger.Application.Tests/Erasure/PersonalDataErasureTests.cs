using System.Text.Json;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.Application.Idempotency;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Application.Tests.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.Erasure;

/// <summary>
/// Crypto-shredding end to end (docs/erasure.md): a customer with every kind of personal field and more
/// than a hundred events (so a snapshot exists), erased. The personal values never reach the log in the
/// clear; afterwards they read as erased in the overview (now and in the past), the timeline, the feed's
/// export and the state history (live and rebuilt), while the business facts, every chain and the
/// digest taken before still hold.
/// </summary>
public sealed class PersonalDataErasureTests : IAsyncLifetime
{
    private const string Customer = "ada";
    private static readonly DateTimeOffset Registered = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] PersonalValues =
    [
        "Lovelace",
        "St James",
        "20 7946 0000",
        "ada@example.org",
        "1915-12-10",
        "Byron",
        "handwritten letters",
        "analytical engine",
        "Very pleased",
        "engine jammed",
    ];

    private Ledger _ledger = null!;
    private RunningDaemon _daemon = null!;
    private CustomerQueries _queries = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _daemon = RunningDaemon.Start(_ledger.Store, LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer));
        _queries = new CustomerQueries(_ledger.Loader, LifecycleRules.Default, TimeProvider.System);
        await RunAsync(
            new RegisterCustomer("Ada Lovelace", CustomerKind.Individual, OwnerId: "alice")
            {
                IssuedAt = DateTimeOffset.UtcNow,
            },
            0
        );
        await RunAsync(
            new UpdateProfile(
                new ProfileChanges
                {
                    Address = "12 St James's Square, London",
                    Phone = "+44 20 7946 0000",
                    Email = "ada@example.org",
                    Birthday = new DateOnly(1915, 12, 10),
                    ContactPerson = "Lord Byron",
                    Preferences = "handwritten letters",
                }
            )
            {
                IssuedAt = DateTimeOffset.UtcNow,
            },
            1
        );
        await RunAsync(
            new RecordContact(
                "c-1",
                ContactChannel.Phone,
                ContactInitiator.Customer,
                ContactPurpose.Sales,
                Notes: "Asked about the analytical engine"
            )
            {
                IssuedAt = DateTimeOffset.UtcNow,
            },
            2
        );
        for (var i = 0; i < 100; i++)
            await RunAsync(new RecordPurchase($"o-{i}", 100m + i, "EUR") { IssuedAt = DateTimeOffset.UtcNow }, 3 + i);
        await RunAsync(
            new RecordSurvey("s-1", 5, Recommend: 9, Comment: "Very pleased") { IssuedAt = DateTimeOffset.UtcNow },
            110
        );
        await RunAsync(
            new FileComplaint("k-1", ComplaintCategory.Product, ComplaintSeverity.Low, "The engine jammed twice")
            {
                IssuedAt = DateTimeOffset.UtcNow,
            },
            111
        );
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    [Fact]
    public async Task Personal_values_are_encrypted_at_rest_and_read_in_the_clear_until_erased()
    {
        Assert.Empty(Leaks(await StoredTextAsync()));
        Assert.Equal(1, await SnapshotsAsync());
        var overview = (await _queries.GetOverviewAsync(Customer, TimeTravel.Now))!;
        Assert.Equal("Ada Lovelace", overview.Name);
        var timeline = await new CustomerTimeline(_ledger.Store, LifecycleRules.Default).ReplayAsync(Customer, null);
        Assert.Equal(PersonalValues, PersonalValues.Where(JsonSerializer.Serialize(timeline).Contains));
    }

    [Fact]
    public async Task After_erasure_every_reading_shows_the_personal_fields_erased_and_the_business_facts_unchanged()
    {
        var before = (await _queries.GetOverviewAsync(Customer, TimeTravel.Now))!;

        await EraseAsync();

        var now = (await _queries.GetOverviewAsync(Customer, TimeTravel.Now))!;
        var past = (await _queries.GetOverviewAsync(Customer, new TimeTravel(AsOf: Registered.AddDays(50))))!;
        var fresh = new CustomerQueries(
            new CustomerStateLoader(_ledger.Store, Customers.Caching.CustomerStateCache.None),
            LifecycleRules.Default,
            TimeProvider.System
        );
        var fromTheLog = (await fresh.GetOverviewAsync(Customer, TimeTravel.Now))!;
        Assert.Equal(PersonalData.Erased, now.Name);
        Assert.Equal(PersonalData.Erased, past.Name);
        Assert.Empty(Leaks(JsonSerializer.Serialize(now)));
        Assert.Empty(Leaks(JsonSerializer.Serialize(past)));
        Assert.Equal(
            (now.Name, now.Tier, now.LifecycleStage, now.Owner, now.Satisfaction),
            (fromTheLog.Name, fromTheLog.Tier, fromTheLog.LifecycleStage, fromTheLog.Owner, fromTheLog.Satisfaction)
        );
        Assert.Equal(
            (before.Tier, before.LifecycleStage, before.Owner, before.Satisfaction),
            (now.Tier, now.LifecycleStage, now.Owner, now.Satisfaction)
        );
        var timeline = await new CustomerTimeline(_ledger.Store, LifecycleRules.Default).ReplayAsync(Customer, null);
        Assert.Empty(Leaks(JsonSerializer.Serialize(timeline)));
        Assert.Empty(Leaks(await ExportAsync()));
        Assert.Contains(PersonalData.Erased, await ExportAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await SnapshotsAsync());
    }

    [Fact]
    public async Task The_state_history_live_and_rebuilt_names_the_customer_as_erased()
    {
        await EraseAsync();
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        Assert.Equal([PersonalData.Erased], await PeriodNamesAsync());
        var projection = new StateHistoryProjection(_ledger.Store.Serializer, LifecycleRules.Default);
        await using var rebuild = (await new ProjectionRebuilder(_ledger.Store).TryStartAsync(projection))!;
        var result = await rebuild.RunAsync();
        Assert.True(result.Hashes.MatchesLive);
        Assert.Equal([PersonalData.Erased], await PeriodNamesAsync());
    }

    [Fact]
    public async Task The_read_models_that_read_no_personal_field_rebuild_from_the_stored_ciphertext_to_their_live_rows()
    {
        await EraseAsync();
        var projections = LedgerServices
            .CreateAsyncProjections(_ledger.Store.Serializer)
            .Where(p => p.ReadsProtectedFieldsOf is { Count: 0 })
            .ToList();

        Assert.Equal(
            [
                AbcRevenueProjection.ProjectionName,
                ChurnWatchProjection.ProjectionName,
                SatisfactionHistoryProjection.ProjectionName,
            ],
            projections.Select(p => p.Name).Order(StringComparer.Ordinal)
        );
        var operations = new ProjectionOperations(_ledger.Database.DataSource);
        foreach (var projection in projections)
        {
            await Eventually.IsTrueAsync(
                async () => await operations.GetAsync(projection.Name) is { LagEvents: 0 },
                $"{projection.Name} to catch up"
            );
            await using var rebuild = (await new ProjectionRebuilder(_ledger.Store).TryStartAsync(projection))!;
            var result = await rebuild.RunAsync();
            Assert.True(result.Hashes.MatchesLive, projection.Name);
            Assert.True(result.Hashes.Shadow.Rows > 0, projection.Name);
        }
    }

    [Fact]
    public async Task The_log_is_unchanged_by_erasure_so_every_chain_and_the_earlier_digest_still_verify()
    {
        var digests = new LedgerDigests(_ledger.Database.DataSource);
        await _ledger.Database.WaitUntilLogReadableAsync();
        var digest = await digests.TakeAsync();
        var storedBefore = await StoredTextAsync();

        var erasure = await EraseAsync();

        Assert.StartsWith(storedBefore, await StoredTextAsync(), StringComparison.Ordinal);
        Assert.True((await new ChainVerifier(_ledger.Store).VerifyAllAsync()).Valid);
        Assert.Empty(
            await new DigestComparison(_ledger.Database.DataSource).CompareAsync(await digests.HeadsAsync(digest.Id))
        );
        Assert.Equal(106, erasure.Version);
    }

    [Fact]
    public async Task After_erasure_new_personal_data_is_refused_and_business_facts_are_still_recorded()
    {
        await EraseAsync();

        var profile = await _ledger.Handler.HandleAsync(
            Customer,
            new UpdateProfile(new ProfileChanges { Email = "new@example.org" }) { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("test")
        );
        var purchase = await _ledger.Handler.HandleAsync(
            Customer,
            new RecordPurchase("o-after", 10m, "EUR") { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("test")
        );

        Assert.Equal("personal-data-erased", profile.Rejection?.Code);
        Assert.Null(purchase.Rejection);
        Assert.DoesNotContain("new@example.org", await StoredTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_erasure_whose_append_fails_erases_nothing_because_the_key_goes_with_its_event()
    {
        // The erasure reuses an Idempotency-Key already recorded: its append fails on the taken key.
        var headers = IdempotencyKeys.Headers("privacy-officer", "k-1", new byte[32], 200);
        await _ledger.Handler.HandleAsync(
            Customer,
            new RecordPurchase("o-keyed", 10m, "EUR") { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("privacy-officer") { Headers = headers }
        );

        var failed = await Record.ExceptionAsync(() =>
            _ledger.Handler.HandleAsync(
                Customer,
                new ErasePersonalData("ticket 4712") { IssuedAt = DateTimeOffset.UtcNow },
                new CommandContext("privacy-officer") { Headers = headers }
            )
        );

        Assert.True(IdempotencyConflict.IsDuplicateKey(failed!));
        var fresh = new CustomerQueries(
            new CustomerStateLoader(_ledger.Store, Customers.Caching.CustomerStateCache.None),
            LifecycleRules.Default,
            TimeProvider.System
        );
        Assert.Equal("Ada Lovelace", (await fresh.GetOverviewAsync(Customer, TimeTravel.Now))!.Name);
        Assert.Equal(1, await SnapshotsAsync());
        var timeline = await new CustomerTimeline(_ledger.Store, LifecycleRules.Default).ReplayAsync(Customer, null);
        Assert.Equal(PersonalValues, PersonalValues.Where(JsonSerializer.Serialize(timeline).Contains));
    }

    private async Task<CommandOutcome> EraseAsync()
    {
        var outcome = await _ledger.Handler.HandleAsync(
            Customer,
            new ErasePersonalData("Request of the data subject, ticket 4711") { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("privacy-officer")
        );
        Assert.Null(outcome.Rejection);
        return outcome;
    }

    private async Task RunAsync(CustomerCommand command, int day)
    {
        var outcome = await _ledger.Handler.HandleAsync(
            Customer,
            command with
            {
                OccurredAt = Registered.AddDays(day * 0.5),
            },
            new CommandContext("test")
        );
        Assert.True(
            outcome.Rejection is null,
            $"{command.GetType().Name}: {string.Join("; ", outcome.Rejection?.Errors.Select(e => $"{e.Field} {e.Message}") ?? [])}"
        );
    }

    private static List<string> Leaks(string text) =>
        [.. PersonalValues.Where(value => text.Contains(value, StringComparison.Ordinal))];

    private async Task<string> ExportAsync()
    {
        await _ledger.Database.WaitUntilLogReadableAsync();
        await using var output = new StringWriter();
        await new EventExporter(_ledger.Store).ExportAsync(output, new ExportRequest { Format = ExportFormat.Ndjson });
        return output.ToString();
    }

    private async Task<string> StoredTextAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select string_agg(data::text, E'\\n' order by version) from ledger.events where stream_id = $1"
        );
        command.Parameters.AddWithValue(Customer);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> SnapshotsAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select count(*) from ledger.customer_snapshots where customer_id = $1"
        );
        command.Parameters.AddWithValue(Customer);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> PeriodNamesAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select distinct name from ledger.state_periods where customer_id = $1"
        );
        command.Parameters.AddWithValue(Customer);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }
}

using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger verify [STREAM]</c>: the hash chains recomputed from the stored rows. The tests tamper
/// with the ledger, so each one gets a ledger of its own with two imported customers.
/// </summary>
public sealed class VerifyCommandTests : IAsyncLifetime
{
    private const string Tampered = "verify-tampered";
    private const string Bystander = "verify-bystander";

    private readonly CliLedger _ledger = new();

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        using var file = NdjsonFile.Write(
            """{"customerId":"verify-tampered","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"Tampered","kind":"Organization"}}""",
            """{"customerId":"verify-tampered","type":"PurchaseRecorded","occurredAt":"2020-02-01T09:00:00Z","data":{"orderId":"T-1","amount":100,"currency":"EUR"}}""",
            """{"customerId":"verify-tampered","type":"PurchaseRecorded","occurredAt":"2020-03-01T09:00:00Z","data":{"orderId":"T-2","amount":200,"currency":"EUR"}}""",
            """{"customerId":"verify-tampered","type":"PurchaseRecorded","occurredAt":"2020-04-01T09:00:00Z","data":{"orderId":"T-3","amount":300,"currency":"EUR"}}""",
            """{"customerId":"verify-bystander","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"Bystander","kind":"Individual"}}""",
            """{"customerId":"verify-bystander","type":"PurchaseRecorded","occurredAt":"2020-02-01T09:00:00Z","data":{"orderId":"B-1","amount":50,"currency":"EUR"}}"""
        );
        (await _ledger.RunAsync("import", file.Path)).AssertExitCode(ExitCodes.Success);
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task Verify_exits_0_on_an_intact_ledger()
    {
        var result = await _ledger.RunAsync("verify");

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains("The log is intact: 6 events in 2 streams verified.");
    }

    [Fact]
    public async Task Verify_of_one_customer_exits_0_when_its_chain_is_intact()
    {
        var result = await _ledger.RunAsync("verify", Tampered);

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains($"Stream '{Tampered}' is intact: 4 events verified.");
    }

    [Fact]
    public async Task Verify_names_the_stream_and_version_of_a_payload_altered_in_place()
    {
        await AlterAmountOfVersion3Async();

        var result = await _ledger.RunAsync("verify");

        result.AssertExitCode(ExitCodes.CheckFailed);
        var broken = ConsoleTable.In(result.Output);
        Assert.Equal([Tampered], broken.Column("Stream"));
        Assert.Equal(["3"], broken.Column("Version"));
        Assert.NotEqual("", broken.Column("Reason")[0]);
        result.AssertOutputContains("1 of 2 streams are broken");
    }

    [Fact]
    public async Task Verify_of_the_tampered_customer_names_the_version_and_the_bystander_still_verifies()
    {
        await AlterAmountOfVersion3Async();

        var tampered = await _ledger.RunAsync("verify", Tampered);
        var bystander = await _ledger.RunAsync("verify", Bystander);

        tampered.AssertExitCode(ExitCodes.CheckFailed);
        var broken = ConsoleTable.In(tampered.Output);
        Assert.Equal([Tampered], broken.Column("Stream"));
        Assert.Equal(["3"], broken.Column("Version"));
        tampered.AssertOutputContains($"Stream '{Tampered}' is broken.");
        bystander.AssertExitCode(ExitCodes.Success);
    }

    [Fact]
    public async Task Verify_finds_a_deleted_last_event_where_the_head_expects_it()
    {
        await _ledger.Database.TamperAsync($"delete from ledger.events where stream_id = '{Tampered}' and version = 4");

        var result = await _ledger.RunAsync("verify", Tampered);

        result.AssertExitCode(ExitCodes.CheckFailed);
        Assert.Equal(["4"], ConsoleTable.In(result.Output).Column("Version"));
    }

    [Fact]
    public async Task Verify_finds_a_backdated_business_time()
    {
        await _ledger.Database.TamperAsync(
            $"update ledger.events set occurred_at = occurred_at - interval '1 day' where stream_id = '{Tampered}' and version = 2"
        );

        var result = await _ledger.RunAsync("verify");

        result.AssertExitCode(ExitCodes.CheckFailed);
        var broken = ConsoleTable.In(result.Output);
        Assert.Equal([Tampered], broken.Column("Stream"));
        Assert.Equal(["2"], broken.Column("Version"));
    }

    [Fact]
    public async Task Verify_of_an_unknown_stream_says_so_with_the_not_found_code()
    {
        var result = await _ledger.RunAsync("verify", "nobody-here");

        result.AssertExitCode(ExitCodes.NotFound);
        result.AssertErrorsContain("There is no stream 'nobody-here'");
    }

    private Task AlterAmountOfVersion3Async() =>
        _ledger.Database.TamperAsync(
            $"update ledger.events set data = jsonb_set(data, '{{amount}}', '5') where stream_id = '{Tampered}' and version = 3"
        );
}

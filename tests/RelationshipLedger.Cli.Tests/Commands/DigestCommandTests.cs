using System.Text.Json.Nodes;
using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger digest keygen|export</c> and <c>ledger verify --against FILE</c>: a signed digest kept outside the
/// database catches every kind of tampering, naming the stream — even a stream rewritten with a recomputed,
/// self-consistent chain, which <c>ledger verify</c> alone cannot see. Each test gets a ledger of its own.
/// </summary>
public sealed class DigestCommandTests : IAsyncLifetime
{
    private const string Tampered = "digest-tampered";
    private const string Bystander = "digest-bystander";

    private readonly CliLedger _ledger = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-digest-").FullName;

    private string KeyFile => Path.Combine(_directory, "signing.pem");

    private string PublicKeyFile => KeyFile + ".pub";

    private string DigestFile => Path.Combine(_directory, "digest.json");

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        await ImportAsync(History(Tampered, 100, 200, 300), History(Bystander, 50));
        (await _ledger.RunAsync("digest", "keygen", KeyFile)).AssertExitCode(ExitCodes.Success);
        await _ledger.Database.WaitUntilLogReadableAsync();
        (await _ledger.RunAsync("digest", "export", DigestFile, "--take", "--signing-key", KeyFile)).AssertExitCode(
            ExitCodes.Success
        );
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_untouched_log_extends_its_digest()
    {
        var result = await VerifyAgainstAsync();

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains("The log extends the digest: all 2 streams it saw still hold their heads");
        result.AssertOutputContains("Signed by the trusted key");
    }

    [Fact]
    public async Task Streams_that_grew_and_streams_created_since_the_digest_still_extend_it()
    {
        await ImportAsync(
            [
                $$$"""{"customerId":"{{{Bystander}}}","type":"PurchaseRecorded","occurredAt":"2021-02-01T09:00:00Z","data":{"orderId":"B-late","amount":70,"currency":"EUR"}}""",
            ],
            History("digest-newcomer", 10)
        );

        (await VerifyAgainstAsync()).AssertExitCode(ExitCodes.Success);
    }

    [Theory]
    [InlineData(
        "byte flip",
        "update ledger.events set data = jsonb_set(data, '{amount}', '201') where stream_id = 'digest-tampered' and version = 3"
    )]
    [InlineData("deleted version", "delete from ledger.events where stream_id = 'digest-tampered' and version = 2")]
    [InlineData(
        "swapped events",
        "update ledger.events e set data = o.data from ledger.events o where e.stream_id = 'digest-tampered' and o.stream_id = e.stream_id and ((e.version = 2 and o.version = 3) or (e.version = 3 and o.version = 2))"
    )]
    [InlineData("deleted head", "delete from ledger.events where stream_id = 'digest-tampered' and version = 4")]
    public async Task Tampering_in_place_is_caught_naming_only_the_tampered_stream(string tampering, string sql)
    {
        await _ledger.Database.TamperAsync(sql);

        var result = await VerifyAgainstAsync();

        result.AssertExitCode(ExitCodes.CheckFailed);
        Assert.True(ConsoleTable.In(result.Output).Column("Stream").All(s => s == Tampered), tampering);
        result.AssertOutputContains("1 streams do not extend the digest or do not verify.");
    }

    [Fact]
    public async Task A_stream_rewritten_with_a_recomputed_chain_verifies_alone_but_not_against_the_digest()
    {
        await RemoveTamperedStreamAsync();
        // The store appends the forged history with a fresh, self-consistent chain and head.
        await ImportAsync(History(Tampered, 100, 2, 300));
        (await _ledger.RunAsync("verify")).AssertExitCode(ExitCodes.Success);

        var result = await VerifyAgainstAsync();

        result.AssertExitCode(ExitCodes.CheckFailed);
        var table = ConsoleTable.In(result.Output);
        Assert.Equal([Tampered], table.Column("Stream"));
        Assert.Contains("rewritten", table.Column("Problem")[0]);
    }

    [Fact]
    public async Task A_removed_stream_is_named()
    {
        await RemoveTamperedStreamAsync();

        var result = await VerifyAgainstAsync();

        result.AssertExitCode(ExitCodes.CheckFailed);
        var table = ConsoleTable.In(result.Output);
        Assert.Equal([Tampered], table.Column("Stream"));
        Assert.Contains("removed", table.Column("Problem")[0]);
    }

    [Fact]
    public async Task A_truncated_stream_with_a_consistent_head_is_named()
    {
        await _ledger.Database.TamperAsync(
            $"delete from ledger.events where stream_id = '{Tampered}' and version = 4; "
                + $"update ledger.streams s set version = 3, head_hash = e.hash from ledger.events e where s.id = '{Tampered}' and e.stream_id = s.id and e.version = 3"
        );
        (await _ledger.RunAsync("verify")).AssertExitCode(ExitCodes.Success);

        var result = await VerifyAgainstAsync();

        result.AssertExitCode(ExitCodes.CheckFailed);
        Assert.Contains("truncated", ConsoleTable.In(result.Output).Column("Problem")[0]);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("head")]
    [InlineData("events")]
    public async Task A_digest_file_changed_after_signing_is_not_trusted(string field)
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(DigestFile))!;
        switch (field)
        {
            case "root":
                file["root"] = Flip(file["root"]!.GetValue<string>());
                break;
            case "head":
                file["heads"]![0]!["hash"] = Flip(file["heads"]![0]!["hash"]!.GetValue<string>());
                break;
            default:
                file["events"] = file["events"]!.GetValue<long>() + 1;
                break;
        }
        await File.WriteAllTextAsync(DigestFile, file.ToJsonString());

        var result = await VerifyAgainstAsync();

        result.AssertExitCode(ExitCodes.CheckFailed);
        result.AssertErrorsContain("cannot be trusted");
    }

    [Fact]
    public async Task A_digest_signed_by_another_key_fails_against_the_pinned_key_and_is_flagged_without_one()
    {
        var otherKey = Path.Combine(_directory, "other.pem");
        (await _ledger.RunAsync("digest", "keygen", otherKey)).AssertExitCode(ExitCodes.Success);
        (await _ledger.RunAsync("digest", "export", DigestFile, "--signing-key", otherKey)).AssertExitCode(
            ExitCodes.Success
        );

        var pinned = await VerifyAgainstAsync();
        var unpinned = await _ledger.RunAsync("verify", "--against", DigestFile);

        pinned.AssertExitCode(ExitCodes.CheckFailed);
        pinned.AssertErrorsContain("signed by another key than the trusted one");
        unpinned.AssertExitCode(ExitCodes.Success);
        unpinned.AssertOutputContains("which was not pinned");
    }

    [Fact]
    public async Task Export_without_a_signing_key_is_a_usage_error_and_without_a_digest_a_not_found()
    {
        var noKey = await _ledger.RunAsync("digest", "export", DigestFile);
        var noDigest = await _ledger.RunAsync("digest", "export", DigestFile, "--id", "999", "--signing-key", KeyFile);

        noKey.AssertExitCode(ExitCodes.Usage);
        noKey.AssertErrorsContain("LEDGER_DIGEST_SIGNING_KEY");
        noDigest.AssertExitCode(ExitCodes.NotFound);
        noDigest.AssertErrorsContain("There is no digest 999.");
    }

    [Fact]
    public async Task Keygen_never_overwrites_a_key()
    {
        var result = await _ledger.RunAsync("digest", "keygen", KeyFile);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("a key is never overwritten");
    }

    [Fact]
    public async Task A_bundle_verifies_offline_and_fails_once_a_byte_changes()
    {
        var bundle = Path.Combine(_directory, "bundle.json");
        (await _ledger.RunAsync("bundle", Tampered, bundle, "--signing-key", KeyFile)).AssertExitCode(
            ExitCodes.Success
        );
        // No database: a connection string that cannot work proves verify-bundle never opens one.
        string[] offline = ["verify-bundle", bundle, "--public-key", PublicKeyFile, "--connection", "Host=db.invalid"];

        var intact = await CliProcess.RunAsync(offline);
        var text = await File.ReadAllTextAsync(bundle);
        var at = text.IndexOf("PurchaseRecorded", StringComparison.Ordinal);
        await File.WriteAllTextAsync(
            bundle,
            string.Concat(text.AsSpan(0, at), "Purchaserecorded", text.AsSpan(at + 16))
        );
        var changed = await CliProcess.RunAsync(offline);

        intact.AssertExitCode(ExitCodes.Success);
        intact.AssertOutputContains($"The bundle proves stream '{Tampered}': 4 events chain correctly");
        changed.AssertExitCode(ExitCodes.CheckFailed);
        changed.AssertErrorsContain("The bundle does not prove anything");
    }

    /// <summary>
    /// Crypto-shredding (docs/erasure.md): a bundle carries the events as stored — personal fields as
    /// ciphertext envelopes — so once the customer's key is destroyed nobody can read them from it, and
    /// the bundle and the digest still verify, since the stored bytes never changed.
    /// </summary>
    [Fact]
    public async Task After_the_key_is_erased_the_bundle_holds_only_ciphertext_and_everything_still_verifies()
    {
        await using (
            var erase = _ledger.Database.DataSource.CreateCommand(
                "update ledger.stream_keys set key = null, erased_at = now() where stream_id = $1"
            )
        )
        {
            erase.Parameters.AddWithValue(Tampered);
            Assert.Equal(1, await erase.ExecuteNonQueryAsync());
        }
        var bundle = Path.Combine(_directory, "erased-bundle.json");

        (await _ledger.RunAsync("bundle", Tampered, bundle, "--signing-key", KeyFile)).AssertExitCode(
            ExitCodes.Success
        );

        var registration = JsonNode.Parse(await File.ReadAllTextAsync(bundle))!.ToJsonString();
        Assert.Contains("enc:v1:", registration, StringComparison.Ordinal);
        (await CliProcess.RunAsync(["verify-bundle", bundle, "--public-key", PublicKeyFile])).AssertExitCode(
            ExitCodes.Success
        );
        (await VerifyAgainstAsync()).AssertExitCode(ExitCodes.Success);
    }

    [Fact]
    public async Task A_bundle_of_a_stream_the_digest_did_not_see_is_not_found()
    {
        var result = await _ledger.RunAsync(
            "bundle",
            "digest-stranger",
            Path.Combine(_directory, "b.json"),
            "--signing-key",
            KeyFile
        );

        result.AssertExitCode(ExitCodes.NotFound);
        result.AssertErrorsContain("saw no stream 'digest-stranger'");
    }

    private Task<CliResult> VerifyAgainstAsync() =>
        _ledger.RunAsync("verify", "--against", DigestFile, "--public-key", PublicKeyFile);

    private Task RemoveTamperedStreamAsync() =>
        _ledger.Database.TamperAsync(
            $"delete from ledger.events where stream_id = '{Tampered}'; delete from ledger.streams where id = '{Tampered}'"
        );

    private async Task ImportAsync(params string[][] histories)
    {
        using var file = NdjsonFile.Write([.. histories.SelectMany(h => h)]);
        (await _ledger.RunAsync("import", file.Path)).AssertExitCode(ExitCodes.Success);
    }

    /// <summary>A registration and one purchase a month of each amount, from 2020.</summary>
    private static string[] History(string customerId, params int[] amounts) =>
        [
            $$$"""{"customerId":"{{{customerId}}}","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"{{{customerId}}}","kind":"Organization"}}""",
            .. amounts.Select(
                (amount, i) =>
                    $$$"""{"customerId":"{{{customerId}}}","type":"PurchaseRecorded","occurredAt":"2020-{{{i + 2:00}}}-01T09:00:00Z","data":{"orderId":"{{{customerId}}}-{{{i}}}","amount":{{{amount}}},"currency":"EUR"}}"""
            ),
        ];

    private static string Flip(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];
}

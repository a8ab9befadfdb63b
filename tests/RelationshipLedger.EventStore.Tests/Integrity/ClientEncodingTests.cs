using Npgsql;
using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Integrity;

public sealed class ClientEncodingTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.Create(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_append_from_a_session_in_another_client_encoding_hashes_the_same_utf8_bytes()
    {
        // 'c-münchen' and {"text": "Straße"}, spelled as UTF-8 bytes so the session's encoding cannot alter them.
        const string append = """
            select conflict from ledger.append_events(
                convert_from('\x632d6dc3bc6e6368656e'::bytea, 'UTF8'), 'customer', 0,
                array[gen_random_uuid()], array['NoteAdded'],
                array[jsonb_build_object('text', convert_from('\x53747261c39f65'::bytea, 'UTF8'))],
                array['{}'::jsonb], array[null::timestamptz])
            """;
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (
                var latin1 = new NpgsqlCommand("set local client_encoding = 'LATIN1'", connection, transaction)
            )
                await latin1.ExecuteNonQueryAsync();
            await using (var command = new NpgsqlCommand(append, connection, transaction))
                Assert.Equal(false, await command.ExecuteScalarAsync());
            await transaction.CommitAsync();
        }

        var verification = await new ChainVerifier(_store).VerifyStreamAsync("c-münchen");

        Assert.Equal(1, verification.Events);
        Assert.True(verification.Valid, verification.FirstBroken?.Reason);
    }
}

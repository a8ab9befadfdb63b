using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.Application.Erasure;

/// <summary>
/// What erasing a customer's personal data does besides recording <c>PersonalDataErased</c>
/// (docs/erasure.md). Before the event is appended: the customer's key is destroyed — from then on its
/// protected fields read as erased everywhere, and new values for them are refused — and its snapshots,
/// which hold decrypted states, are deleted. After: the snapshots an append wrote meanwhile, from a state
/// still holding the data, are deleted too. Snapshots are derived and rebuilt from the log as it is
/// appended to; the events themselves are never touched, so every chain and digest still verifies.
/// </summary>
internal static class PersonalDataErasure
{
    /// <summary>Destroys the key and the snapshots: the order matters — a snapshot is only written from a state.</summary>
    public static async Task BeforeAppendAsync(
        EventStore.EventStore store,
        string customerId,
        CancellationToken cancellationToken
    )
    {
        await store.EraseStreamKeyAsync(customerId, cancellationToken);
        await DeleteSnapshotsAsync(store.DataSource, customerId, long.MaxValue, cancellationToken);
    }

    /// <summary>Deletes the snapshots older than the erasure at <paramref name="erasureVersion"/>.</summary>
    public static Task AfterAppendAsync(
        EventStore.EventStore store,
        string customerId,
        long erasureVersion,
        CancellationToken cancellationToken
    ) => DeleteSnapshotsAsync(store.DataSource, customerId, erasureVersion, cancellationToken);

    private static async Task DeleteSnapshotsAsync(
        NpgsqlDataSource dataSource,
        string customerId,
        long belowVersion,
        CancellationToken cancellationToken
    )
    {
        await using var command = dataSource.CreateCommand(
            "delete from ledger.customer_snapshots where customer_id = $1 and version < $2"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = belowVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

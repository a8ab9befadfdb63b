using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Protection;

namespace RelationshipLedger.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// The join and columns that read each event's stream key beside it (events aliased <c>e</c>):
    /// <see cref="StreamKeyAt"/> reads them back, <see cref="EventSerializer.Reveal"/> uses them.
    /// </summary>
    public const string StreamKeyJoin = "left join ledger.stream_keys k on k.stream_id = e.stream_id";

    public const string StreamKeyColumns = "k.key, k.erased_at is not null";

    /// <summary>The stream key in the two <see cref="StreamKeyColumns"/> from <paramref name="ordinal"/> on.</summary>
    public static StreamKey StreamKeyAt(NpgsqlDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(
            reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal),
            reader.GetBoolean(ordinal + 1)
        );
    }

    /// <summary>
    /// The statement that destroys the data key of the stream <c>$1</c>, or makes one already erased if
    /// it has none; an erased key keeps its first <c>erased_at</c>. <see cref="EraseStreamKeyAsync"/> runs
    /// it alone; an inline projection may run it in an append's transaction, so that the erasure and the
    /// event that records it commit together.
    /// </summary>
    public const string EraseStreamKeySql =
        "insert into ledger.stream_keys (stream_id, key, erased_at) values ($1, null, now()) "
        + "on conflict (stream_id) do update set key = null, "
        + "erased_at = coalesce(ledger.stream_keys.erased_at, excluded.erased_at)";

    /// <summary>
    /// Destroys the stream's data key (making one that is already erased if it has none): its protected
    /// fields read as erased from now on, everywhere, and new values for them are refused. Returns when
    /// the key was erased (the first time, when erased before).
    /// </summary>
    public async Task<DateTimeOffset> EraseStreamKeyAsync(
        string streamId,
        CancellationToken cancellationToken = default
    )
    {
        ValidateStreamId(streamId);
        await using var command = DataSource.CreateCommand(EraseStreamKeySql + " returning erased_at");
        command.Parameters.Add(new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        return AsUtc((DateTime)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>
    /// Encrypts the protected fields of <paramref name="batch"/> under the stream's key, made on its first
    /// protected append (in its own statement: a key whose append then fails protects nothing and is harmless).
    /// </summary>
    private async Task ProtectAsync(string streamId, SerializedBatch batch, CancellationToken cancellationToken)
    {
        if (Serializer.Protection is not { } protection || !batch.Types.Any(protection.Protects))
            return;
        var key = await StreamKeyAsync(streamId, cancellationToken);
        var stored = new string[batch.Data.Length];
        for (var i = 0; i < stored.Length; i++)
            stored[i] = protection.Protect(streamId, batch.Types[i], batch.Data[i], key);
        batch.Revealed = (string[])batch.Data.Clone();
        stored.CopyTo(batch.Data, 0);
    }

    private async Task<StreamKey> StreamKeyAsync(string streamId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("select key, erased from ledger.stream_key($1, $2)");
        command.Parameters.Add(new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = PayloadProtection.NewKey(), NpgsqlDbType = NpgsqlDbType.Bytea });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return StreamKeyAt(reader, 0);
    }
}

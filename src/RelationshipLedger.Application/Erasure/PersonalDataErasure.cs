using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Application.Erasure;

/// <summary>
/// What appending <c>PersonalDataErased</c> does besides recording it (docs/erasure.md), in the same
/// transaction as the event: the customer's key is destroyed — from the commit on, its protected fields
/// read as erased everywhere and new values for them are refused — and its snapshots older than the
/// erasure, which hold decrypted states, are deleted. The erasure and its event commit together or not
/// at all: an append that fails (a conflict, a repeated Idempotency-Key, a crash) erases nothing. The
/// events themselves are never touched, so every chain and digest still verifies.
/// </summary>
internal sealed class PersonalDataErasure : IPlannedInlineProjection
{
    public static PersonalDataErasure Projection { get; } = new();

    private const string DeleteSnapshotsSql =
        "delete from ledger.customer_snapshots where customer_id = $1 and version < $2";

    private PersonalDataErasure() { }

    public IReadOnlyList<NpgsqlBatchCommand>? Plan(PlannedAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (ErasureVersion(append) is not { } version)
            return [];
        var eraseKey = new NpgsqlBatchCommand(EventStore.EventStore.EraseStreamKeySql);
        eraseKey.Parameters.Add(StreamIdParameter(append.StreamId));
        var deleteSnapshots = new NpgsqlBatchCommand(DeleteSnapshotsSql);
        deleteSnapshots.Parameters.AddRange(SnapshotParameters(append.StreamId, version));
        return [eraseKey, deleteSnapshots];
    }

    public async Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ErasureVersion(context) is not { } version)
            return;
        await using (var eraseKey = context.CreateCommand(EventStore.EventStore.EraseStreamKeySql))
        {
            eraseKey.Parameters.Add(StreamIdParameter(context.StreamId));
            await eraseKey.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var deleteSnapshots = context.CreateCommand(DeleteSnapshotsSql);
        deleteSnapshots.Parameters.AddRange(SnapshotParameters(context.StreamId, version));
        await deleteSnapshots.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The version of the first erasure among the planned events of a customer stream, if any. Every
    /// append passes here: a plain scan of its few events, nothing allocated.
    /// </summary>
    private static long? ErasureVersion(PlannedAppend append)
    {
        if (append.StreamType != CustomerId.StreamType)
            return null;
        foreach (var planned in append.Events)
            if (planned.Data is CustomerEvent.PersonalDataErased)
                return planned.Version;
        return null;
    }

    /// <summary>The version of the first erasure among the appended events of a customer stream, if any.</summary>
    private static long? ErasureVersion(InlineProjectionContext context)
    {
        if (context.StreamType != CustomerId.StreamType)
            return null;
        foreach (var envelope in context.Events)
            if (envelope.Data is CustomerEvent.PersonalDataErased)
                return envelope.Event.Version;
        return null;
    }

    private static NpgsqlParameter StreamIdParameter(string streamId) =>
        new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter[] SnapshotParameters(string customerId, long erasureVersion) =>
        [
            new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = erasureVersion, NpgsqlDbType = NpgsqlDbType.Bigint },
        ];
}

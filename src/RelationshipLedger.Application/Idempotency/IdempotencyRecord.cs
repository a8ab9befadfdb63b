using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Application.Idempotency;

/// <summary>The first answer given to a (principal, Idempotency-Key).</summary>
public sealed record IdempotencyRecord(
    string Principal,
    string Key,
    ReadOnlyMemory<byte> RequestHash,
    string CustomerId,
    long Version,
    IReadOnlyList<Guid> EventIds,
    int Status
);

/// <summary>
/// Idempotency keys: the request's key travels in the events' metadata headers, and
/// <see cref="Projection"/> records the answer inside the append's transaction, so two concurrent
/// repeats cannot both append: the second fails on the key and finds the first's answer.
/// </summary>
public sealed class IdempotencyKeys(NpgsqlDataSource dataSource)
{
    public const string KeyHeader = "idempotencyKey";
    public const string PrincipalHeader = "idempotencyPrincipal";
    public const string RequestHashHeader = "requestHash";
    public const string StatusHeader = "responseStatus";
    public const string PrimaryKeyConstraint = "idempotency_keys_pkey";
    public const int MaxKeyLength = 200;

    public static IInlineProjection Projection { get; } = new RecordingProjection();

    /// <summary>The metadata headers that make an append record its idempotency key.</summary>
    public static Dictionary<string, string> Headers(
        string principal,
        string key,
        ReadOnlySpan<byte> requestHash,
        int status
    ) =>
        new()
        {
            [KeyHeader] = key,
            [PrincipalHeader] = principal,
            [RequestHashHeader] = Convert.ToHexStringLower(requestHash),
            [StatusHeader] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    public async Task<IdempotencyRecord?> FindAsync(
        string principal,
        string key,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = dataSource.CreateCommand(
            "select request_hash, customer_id, version, event_ids, status from ledger.idempotency_keys where principal = $1 and key = $2"
        );
        command.Parameters.Add(new() { Value = principal, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = key, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new IdempotencyRecord(
            principal,
            key,
            reader.GetFieldValue<byte[]>(0),
            reader.GetString(1),
            reader.GetInt64(2),
            reader.GetFieldValue<Guid[]>(3),
            reader.GetInt32(4)
        );
    }

    /// <summary>
    /// Inserts the key's first answer with the events. Its primary key is what makes a concurrent repeat
    /// fail (<see cref="IdempotencyConflict"/>): in a planned batch as in a transaction, that failure
    /// rolls back the repeat's events with it.
    /// </summary>
    private sealed class RecordingProjection : IPlannedInlineProjection
    {
        private const string Sql =
            "insert into ledger.idempotency_keys (principal, key, request_hash, customer_id, version, event_ids, status) "
            + "values ($1, $2, $3, $4, $5, $6, $7)";

        public IReadOnlyList<NpgsqlBatchCommand>? Plan(PlannedAppend append)
        {
            ArgumentNullException.ThrowIfNull(append);
            if (KeyOf(append.Events[0].Metadata) is not { } headers)
                return [];
            var command = new NpgsqlBatchCommand(Sql);
            command.Parameters.AddRange(
                Parameters(headers, append.StreamId, append.StreamVersion, [.. append.Events.Select(e => e.EventId)])
            );
            return [command];
        }

        public async Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken)
        {
            if (KeyOf(context.Events[0].Metadata) is not { } headers)
                return;
            await using var command = context.CreateCommand(Sql);
            command.Parameters.AddRange(
                Parameters(
                    headers,
                    context.StreamId,
                    context.StreamVersion,
                    [.. context.Events.Select(e => e.Event.EventId)]
                )
            );
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static IReadOnlyDictionary<string, string>? KeyOf(EventMetadata metadata) =>
            metadata.Headers is { } headers && headers.ContainsKey(KeyHeader) ? headers : null;

        private static NpgsqlParameter[] Parameters(
            IReadOnlyDictionary<string, string> headers,
            string customerId,
            long version,
            Guid[] eventIds
        ) =>
            [
                new() { Value = headers[PrincipalHeader], NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = headers[KeyHeader], NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = Convert.FromHexString(headers[RequestHashHeader]), NpgsqlDbType = NpgsqlDbType.Bytea },
                new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = eventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
                new()
                {
                    Value = int.Parse(headers[StatusHeader], System.Globalization.CultureInfo.InvariantCulture),
                    NpgsqlDbType = NpgsqlDbType.Integer,
                },
            ];
    }
}

/// <summary>Recognises the failure of a second append that raced the first one with the same key.</summary>
public static class IdempotencyConflict
{
    public static bool IsDuplicateKey(Exception exception) =>
        exception
            is PostgresException
            {
                SqlState: PostgresErrorCodes.UniqueViolation,
                ConstraintName: IdempotencyKeys.PrimaryKeyConstraint
            };
}

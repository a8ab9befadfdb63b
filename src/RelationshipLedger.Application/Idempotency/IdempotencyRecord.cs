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

    private sealed class RecordingProjection : IInlineProjection
    {
        public async Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken)
        {
            if (context.Events[0].Metadata.Headers is not { } headers || !headers.TryGetValue(KeyHeader, out var key))
                return;
            await using var command = context.CreateCommand(
                "insert into ledger.idempotency_keys (principal, key, request_hash, customer_id, version, event_ids, status) "
                    + "values ($1, $2, $3, $4, $5, $6, $7)"
            );
            command.Parameters.Add(new() { Value = headers[PrincipalHeader], NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = key, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(
                new() { Value = Convert.FromHexString(headers[RequestHashHeader]), NpgsqlDbType = NpgsqlDbType.Bytea }
            );
            command.Parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = context.StreamVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(
                new()
                {
                    Value = context.Events.Select(e => e.Event.EventId).ToArray(),
                    NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid,
                }
            );
            command.Parameters.Add(
                new()
                {
                    Value = int.Parse(headers[StatusHeader], System.Globalization.CultureInfo.InvariantCulture),
                    NpgsqlDbType = NpgsqlDbType.Integer,
                }
            );
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
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

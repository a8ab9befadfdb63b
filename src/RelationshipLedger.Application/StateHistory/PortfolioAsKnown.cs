using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The part of a portfolio page "as known at K" that the read model cannot answer: the accounts whose
/// streams grew after K. <c>ledger.state_periods</c> holds every account's periods as the ledger knows
/// them now; an account that has recorded nothing since K was known at K exactly as it is known now, so
/// its rows answer (<see cref="PortfolioSql.For"/> keeps only those). An account that recorded events
/// after K — its stream's <c>updated_at</c> is later — is folded here from the events it had recorded by
/// K, cut into periods with the same rules as the projection, and matched in memory.
/// </summary>
/// <remarks>
/// The cost grows with the accounts changed since K that a page has to look at, in customer id order:
/// a recent K touches few, a K long ago may fold most accounts of a page's id range
/// (docs/portfolio.md, "Portfolio as known at an instant").
/// </remarks>
internal sealed class PortfolioAsKnown(NpgsqlDataSource dataSource, EventSerializer serializer, LifecycleRules rules)
{
    /// <summary>How many changed accounts are folded in one read of the log.</summary>
    public const int ChunkSize = 256;

    private const string ChangedSql =
        "select id from ledger.streams where updated_at > $1 and id > $2 and ($3::text is null or id <= $3) "
        + "order by id limit $4";

    private const string StreamsSql =
        $"select {StreamFolds.Columns} "
        + $"from ledger.events e {EventStore.EventStore.StreamKeyJoin} "
        + "where e.stream_id = any($1) and e.recorded_at <= $2 order by e.stream_id, e.version";

    /// <summary>
    /// The first <paramref name="wanted"/> accounts changed since <c>query.KnownAt</c> that match
    /// <paramref name="query"/> as known then, in customer id order, after the query's cursor and up to
    /// <paramref name="through"/> (inclusive; no bound when null); when the query asks for an ABC class, only
    /// the accounts in <paramref name="inClass"/>, that class's members at the query's instant as known then.
    /// </summary>
    public async Task<List<PortfolioEntry>> MatchesAsync(
        PortfolioQuery query,
        IReadOnlySet<string>? inClass,
        string? through,
        int wanted,
        CancellationToken cancellationToken
    )
    {
        var knownAt = query.KnownAt ?? throw new ArgumentException("The query has no knownAt.", nameof(query));
        var matches = new List<PortfolioEntry>();
        var after = query.After ?? "";
        while (matches.Count < wanted)
        {
            var changed = await ChangedAsync(knownAt, after, through, cancellationToken);
            if (changed.Length == 0)
                break;
            foreach (var (customerId, state) in await FoldAsync(changed, knownAt, cancellationToken))
                if (Match(query, customerId, state) is { } entry && (inClass is null || inClass.Contains(customerId)))
                    matches.Add(entry);
            if (changed.Length < ChunkSize)
                break;
            after = changed[^1];
        }
        return matches;
    }

    /// <summary>The account's entry when its period containing the query's instant matches every filter.</summary>
    private PortfolioEntry? Match(PortfolioQuery query, string customerId, CustomerState state)
    {
        var period = StatePeriods
            .Of(state, rules)
            .FirstOrDefault(p => p.From <= query.AsOf && (p.To is null || query.AsOf < p.To));
        if (period is null)
            return null;
        if (query.Tier is { } tier && period.Tier != tier)
            return null;
        if (query.Stage is { } stage && period.Stage != stage)
            return null;
        if (query.Owner is { } owner && period.OwnerId != owner)
            return null;
        return new PortfolioEntry(
            customerId,
            state.Name,
            period.Tier,
            period.Stage,
            period.OwnerId,
            period.From,
            period.To,
            period.TierSince,
            period.StageSince,
            period.OwnerSince
        );
    }

    private async Task<string[]> ChangedAsync(
        DateTimeOffset knownAt,
        string after,
        string? through,
        CancellationToken cancellationToken
    )
    {
        await using var command = dataSource.CreateCommand(ChangedSql);
        command.Parameters.Add(new() { Value = knownAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)through ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = ChunkSize, NpgsqlDbType = NpgsqlDbType.Integer });
        var ids = new List<string>(ChunkSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetString(0));
        return ids.ToArray();
    }

    /// <summary>Each stream folded over the events it had recorded by <paramref name="knownAt"/>, in id order.</summary>
    private async Task<List<(string CustomerId, CustomerState State)>> FoldAsync(
        string[] customers,
        DateTimeOffset knownAt,
        CancellationToken cancellationToken
    )
    {
        await using var command = dataSource.CreateCommand(StreamsSql);
        command.Parameters.Add(new() { Value = customers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = knownAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await StreamFolds.FoldAsync(command, serializer, cancellationToken);
    }
}

using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>
/// <c>GET /watchlist/churn</c>: the customers whose churn episode stands now, newest flag first, with
/// the flag's signals and instant and the last contact since, from the read model. Whether an episode
/// still stands depends on the clock (the signals clear when a window boundary passes, not only when
/// an event arrives), so each listed row's customer is checked with <see cref="ChurnRules.EpisodeOpen"/>
/// at the query's instant; rows whose customer has recovered are passed over.
/// </summary>
public sealed class ChurnWatchQueries(
    NpgsqlDataSource dataSource,
    CustomerStateLoader loader,
    LifecycleRules rules,
    TimeProvider clock
)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>
    /// Rows looked at per requested entry at most: a page over mostly recovered customers ends early
    /// (with a cursor) rather than loading an unbounded number of them.
    /// </summary>
    public const int RowsPerEntry = 5;

    private const string RowsSql = """
        select w.customer_id, w.signals, w.flagged_at, w.flag_version, w.last_contact_at,
               w.last_contact_channel, w.last_contact_initiator, w.last_contact_purpose, o.name, o.owner_id
        from ledger.churn_watch w
        left join ledger.customer_overview o on o.customer_id = w.customer_id
        where w.flagged_at is not null
          and ($1::timestamptz is null or w.flagged_at < $1 or (w.flagged_at = $1 and w.customer_id > $2))
        order by w.flagged_at desc, w.customer_id
        limit $3
        """;

    public async Task<WatchListPage> ListAsync(
        int limit,
        WatchListCursor? after,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var asOf = clock.GetUtcNow();
        var fetched = limit * RowsPerEntry;
        var rows = await RowsAsync(after, fetched, cancellationToken);
        var entries = new List<WatchListEntry>(limit);
        var examined = 0;
        while (examined < rows.Count && entries.Count < limit)
        {
            var row = rows[examined++];
            if (await StandsAsync(row.CustomerId, asOf, cancellationToken))
                entries.Add(row);
        }
        // Exhausted: every row there is was looked at. Otherwise continue after the last one looked at.
        var exhausted = examined == rows.Count && rows.Count < fetched;
        WatchListCursor? next = exhausted
            ? null
            : new WatchListCursor(rows[examined - 1].FlaggedAt.UtcTicks, rows[examined - 1].CustomerId);
        return new WatchListPage(asOf, entries, next?.ToString());
    }

    private async Task<bool> StandsAsync(string customerId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var state = (await loader.LoadCurrentAsync(customerId, cancellationToken)).State;
        return state.IsRegistered && ChurnRules.EpisodeOpen(state, asOf, rules);
    }

    private async Task<List<WatchListEntry>> RowsAsync(
        WatchListCursor? after,
        int count,
        CancellationToken cancellationToken
    )
    {
        await using var command = dataSource.CreateCommand(RowsSql);
        command.Parameters.Add(
            new() { Value = after is { } a ? a.FlaggedAtUtc : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz }
        );
        command.Parameters.Add(
            new() { Value = after is { } c ? c.CustomerId : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }
        );
        command.Parameters.Add(new() { Value = count, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<WatchListEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var flaggedAt = Utc(reader.GetDateTime(2));
            WatchListContact? contact = null;
            if (!reader.IsDBNull(4) && Utc(reader.GetDateTime(4)) is var contactAt && contactAt >= flaggedAt)
                contact = new WatchListContact(
                    contactAt,
                    Enum.Parse<ContactChannel>(reader.GetString(5)),
                    Enum.Parse<ContactInitiator>(reader.GetString(6)),
                    Enum.Parse<ContactPurpose>(reader.GetString(7))
                );
            rows.Add(
                new WatchListEntry(
                    reader.GetString(0),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    [.. reader.GetFieldValue<string[]>(1).Select(Enum.Parse<ChurnSignal>)],
                    flaggedAt,
                    reader.GetInt64(3),
                    contact
                )
            );
        }
        return rows;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

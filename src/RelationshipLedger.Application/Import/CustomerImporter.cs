using System.Text.Json;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Protection;

namespace RelationshipLedger.Application.Import;

public sealed record ImportError(int Line, string? CustomerId, string Problem);

/// <summary>
/// What an import did: customers seen, events appended, events skipped because they were already
/// there (a re-run), lines not appended because an earlier line of their stream was bad, and the bad lines.
/// </summary>
public sealed record ImportReport(
    int Customers,
    int Appended,
    int Skipped,
    int NotAppended,
    IReadOnlyList<ImportError> Errors
);

public sealed record ImportProgress(int Lines, int Appended, int Skipped, int Errors);

/// <summary>
/// Imports NDJSON history from another CRM, one event per line, a stream's lines in order. Each line
/// is decided as the command that would have produced it, so imports obey every rule; events keep
/// their occurredAt; a customer's consecutive lines are appended in batches with the expected version.
/// A bad line is reported with its number and the rest of its stream is not appended. Lines without an
/// eventId get one derived from their content, so importing a file again appends nothing new.
/// </summary>
public sealed class CustomerImporter(EventStore.EventStore store, CustomerStateLoader loader, TimeProvider clock)
{
    public const int BatchSize = 500;

    public async Task<ImportReport> ImportAsync(
        TextReader reader,
        CommandContext context,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(context);
        var run = new ImportRun();
        PendingStream? pending = null;
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var (line, customerId, problem) = ImportLine.Parse(number, text);
            if (line is null)
            {
                if (customerId is not null && pending?.CustomerId == customerId)
                    pending = await FlushAsync(pending, run, context, cancellationToken);
                run.Fail(number, customerId, problem!);
                continue;
            }
            run.Customers.Add(line.CustomerId);
            if (run.Failed.Contains(line.CustomerId))
            {
                run.NotAppended++;
                continue;
            }
            if (pending?.CustomerId != line.CustomerId)
            {
                await FlushAsync(pending, run, context, cancellationToken);
                pending = await StartAsync(line.CustomerId, cancellationToken);
            }
            if (!pending.Accept(line, store, clock.GetUtcNow(), run))
            {
                pending = await FlushAsync(pending, run, context, cancellationToken);
                continue;
            }
            if (pending.Events.Count >= BatchSize)
                pending = await FlushAsync(pending, run, context, cancellationToken);
            if (number % 1000 == 0)
                progress?.Report(new ImportProgress(number, run.Appended, run.Skipped, run.Errors.Count));
        }
        await FlushAsync(pending, run, context, cancellationToken);
        progress?.Report(new ImportProgress(number, run.Appended, run.Skipped, run.Errors.Count));
        return new ImportReport(run.Customers.Count, run.Appended, run.Skipped, run.NotAppended, run.Errors);
    }

    private async Task<PendingStream> StartAsync(string customerId, CancellationToken cancellationToken)
    {
        var loaded = await loader.LoadCurrentAsync(customerId, cancellationToken);
        var known = new HashSet<Guid>();
        await using var command = store.DataSource.CreateCommand(
            "select event_id from ledger.events where stream_id = $1"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            known.Add(reader.GetGuid(0));
        return new PendingStream(customerId, loaded.State, loaded.Version, known);
    }

    /// <summary>Appends what <paramref name="pending"/> holds; returns null (so the caller starts afresh).</summary>
    private async Task<PendingStream?> FlushAsync(
        PendingStream? pending,
        ImportRun run,
        CommandContext context,
        CancellationToken cancellationToken
    )
    {
        if (pending is null || pending.Events.Count == 0)
            return null;
        var events = pending
            .Events.Select(e => new EventToAppend(e.Event)
            {
                EventId = e.Line.EventId,
                OccurredAt = e.Line.OccurredAt,
                Metadata = new EventMetadata
                {
                    Actor = context.Actor,
                    CorrelationId = context.CorrelationId,
                    Reason = context.Reason ?? "import",
                },
            })
            .ToArray();
        try
        {
            await store.AppendAsync(
                pending.CustomerId,
                ExpectedVersion.Exactly(pending.BaseVersion),
                events,
                CustomerId.StreamType,
                cancellationToken
            );
            run.Appended += events.Length;
        }
        catch (ConcurrencyConflictException)
        {
            run.Fail(
                pending.Events[0].Line.Number,
                pending.CustomerId,
                "The customer's stream changed while it was imported; import the file again."
            );
        }
        catch (DuplicateEventIdException)
        {
            run.Fail(
                pending.Events[0].Line.Number,
                pending.CustomerId,
                "An eventId of this batch is already used by another stream."
            );
        }
        catch (StreamErasedException erased)
        {
            run.Fail(
                pending.Events[0].Line.Number,
                pending.CustomerId,
                $"The customer's personal data was erased: {erased.Field} cannot be recorded for it any more."
            );
        }
        return null;
    }

    private sealed class ImportRun
    {
        public HashSet<string> Customers { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Failed { get; } = new(StringComparer.Ordinal);

        public List<ImportError> Errors { get; } = [];

        public int Appended { get; set; }

        public int Skipped { get; set; }

        public int NotAppended { get; set; }

        public void Fail(int line, string? customerId, string problem)
        {
            Errors.Add(new ImportError(line, customerId, problem));
            if (customerId is not null && CustomerId.IsValid(customerId))
                Failed.Add(customerId);
        }
    }

    /// <summary>A customer's lines decided but not yet appended, with the state they lead to.</summary>
    private sealed class PendingStream(
        string customerId,
        CustomerState state,
        long baseVersion,
        HashSet<Guid> knownEventIds
    )
    {
        public string CustomerId { get; } = customerId;

        public long BaseVersion { get; } = baseVersion;

        public List<(ImportLine Line, CustomerEvent Event)> Events { get; } = [];

        private CustomerState _state = state;

        /// <summary>Decides <paramref name="line"/>; false (with the error recorded) when it is refused.</summary>
        public bool Accept(ImportLine line, EventStore.EventStore store, DateTimeOffset now, ImportRun run)
        {
            if (!knownEventIds.Add(line.EventId))
            {
                run.Skipped++;
                return true;
            }
            object payload;
            try
            {
                payload = store.Serializer.DeserializeForeign(line.Type, line.Data);
            }
            catch (JsonException)
            {
                run.Fail(line.Number, CustomerId, $"data does not fit the payload of {line.Type}.");
                return false;
            }
            if (payload is not CustomerEvent imported)
            {
                run.Fail(line.Number, CustomerId, $"'{line.Type}' is not an event of the catalogue.");
                return false;
            }
            if (imported is CustomerEvent.PersonalDataErased)
            {
                run.Fail(line.Number, CustomerId, "an erasure is not imported: POST /customers/{id}/erase erases.");
                return false;
            }
            var decision = CustomerDecider.Decide(ImportedEvent.ToCommand(imported, now, line.OccurredAt), _state);
            if (decision.Rejection is { } rejection)
            {
                var detail =
                    rejection.Errors.Count > 0
                        ? string.Join(" ", rejection.Errors.Select(e => $"{e.Field} {e.Message}"))
                        : rejection.Message;
                run.Fail(line.Number, CustomerId, $"{rejection.Code}: {detail}");
                return false;
            }
            if (ImportedEvent.Mismatch(imported, decision.Events) is { } mismatch)
            {
                run.Fail(line.Number, CustomerId, mismatch);
                return false;
            }
            _state = CustomerDecider.Evolve(
                _state,
                imported,
                new EventMoment(BaseVersion + Events.Count + 1, line.OccurredAt)
            );
            Events.Add((line, imported));
            return true;
        }
    }
}

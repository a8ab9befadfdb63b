using System.Collections.Immutable;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Customers.Snapshots;

/// <summary>
/// The binary form of a <see cref="CustomerState"/> (snapshot formats v2 and v3, see <see cref="StateSnapshot"/>):
/// every property in declaration order, integers 7-bit encoded, instants as UTC ticks and offset
/// minutes, collections as a count and their items. About a fifth of the JSON's size and an order of
/// magnitude faster to read. <see cref="EncodedProperties"/> names what is written; a test holds it
/// equal to the state's properties, so a property added to the state without a change here fails.
/// </summary>
public static class CompactState
{
    public static readonly IReadOnlyList<string> EncodedProperties =
    [
        nameof(CustomerState.IsRegistered),
        nameof(CustomerState.Version),
        nameof(CustomerState.LatestOccurredAt),
        nameof(CustomerState.Registered),
        nameof(CustomerState.Name),
        nameof(CustomerState.NameSetAt),
        nameof(CustomerState.Kind),
        nameof(CustomerState.Segment),
        nameof(CustomerState.Source),
        nameof(CustomerState.Profile),
        nameof(CustomerState.OwnerId),
        nameof(CustomerState.Owners),
        nameof(CustomerState.Tier),
        nameof(CustomerState.TierChanges),
        nameof(CustomerState.Currency),
        nameof(CustomerState.Orders),
        nameof(CustomerState.Purchases),
        nameof(CustomerState.Refunds),
        nameof(CustomerState.Contacts),
        nameof(CustomerState.Complaints),
        nameof(CustomerState.Surveys),
        nameof(CustomerState.Care),
        nameof(CustomerState.Lifecycle),
        nameof(CustomerState.ChurnFlags),
    ];

    public static void Write(BinaryWriter w, CustomerState s)
    {
        w.Write(s.IsRegistered);
        w.Write7BitEncodedInt64(s.Version);
        WriteInstant(w, s.LatestOccurredAt);
        WriteMoment(w, s.Registered);
        w.Write(s.Name);
        WriteMoment(w, s.NameSetAt);
        WriteEnum(w, s.Kind);
        WriteText(w, s.Segment);
        WriteText(w, s.Source);
        WriteText(w, s.Profile.Address);
        WriteText(w, s.Profile.ContactPerson);
        WriteText(w, s.Profile.Phone);
        WriteText(w, s.Profile.Email);
        w.Write(s.Profile.Birthday is not null);
        if (s.Profile.Birthday is { } birthday)
            w.Write7BitEncodedInt(birthday.DayNumber);
        WriteText(w, s.Profile.Preferences);
        WriteText(w, s.OwnerId);
        WriteList(
            w,
            s.Owners,
            o =>
            {
                WriteText(w, o.OwnerId);
                WriteText(w, o.Reason);
                WriteMoment(w, o.Moment);
            }
        );
        WriteEnum(w, s.Tier);
        WriteList(
            w,
            s.TierChanges,
            c =>
            {
                WriteEnum(w, c.From);
                WriteEnum(w, c.To);
                WriteText(w, c.Reason);
                WriteText(w, c.ApprovedBy);
                WriteMoment(w, c.Moment);
            }
        );
        WriteText(w, s.Currency);
        WriteList(
            w,
            [.. s.Orders],
            o =>
            {
                WriteText(w, o.Key);
                WriteText(w, o.Value.OrderId);
                w.Write(o.Value.Amount);
                WriteText(w, o.Value.Currency);
                w.Write(o.Value.Refunded);
                WriteMoment(w, o.Value.Moment);
            }
        );
        WriteList(w, s.Purchases, p => WriteRevenue(w, p));
        WriteList(w, s.Refunds, p => WriteRevenue(w, p));
        WriteList(
            w,
            s.Contacts,
            c =>
            {
                WriteText(w, c.ContactId);
                WriteEnum(w, c.Channel);
                WriteEnum(w, c.Initiator);
                WriteEnum(w, c.Purpose);
                WriteNullableEnum(w, c.Occasion);
                w.Write(c.Cost is not null);
                if (c.Cost is { } cost)
                    w.Write(cost);
                WriteMoment(w, c.Moment);
            }
        );
        WriteList(
            w,
            [.. s.Complaints],
            c =>
            {
                WriteText(w, c.Key);
                WriteText(w, c.Value.ComplaintId);
                WriteEnum(w, c.Value.Category);
                WriteEnum(w, c.Value.Severity);
                WriteMoment(w, c.Value.Filed);
                w.Write(c.Value.Resolved is not null);
                if (c.Value.Resolved is { } resolved)
                    WriteMoment(w, resolved);
                w.Write(c.Value.CustomerAccepted is not null);
                if (c.Value.CustomerAccepted is { } accepted)
                    w.Write(accepted);
            }
        );
        WriteList(
            w,
            s.Surveys,
            v =>
            {
                WriteText(w, v.SurveyId);
                w.Write7BitEncodedInt(v.Rating);
                w.Write(v.Recommend is not null);
                if (v.Recommend is { } recommend)
                    w.Write7BitEncodedInt(recommend);
                WriteNullableEnum(w, v.Intent);
                WriteMoment(w, v.Moment);
            }
        );
        w.Write(s.Care is not null);
        if (s.Care is { } care)
        {
            w.Write7BitEncodedInt(care.Tier);
            w.Write(care.AnnualBudget);
            WriteMoment(w, care.Moment);
        }
        WriteList(
            w,
            s.Lifecycle,
            l =>
            {
                w.Write(l.Ended);
                WriteNullableEnum(w, l.Cause);
                WriteMoment(w, l.Moment);
            }
        );
        WriteList(
            w,
            s.ChurnFlags,
            f =>
            {
                WriteList(w, [.. f.Signals], signal => WriteEnum(w, signal));
                WriteMoment(w, f.Moment);
            }
        );
    }

    private static void WriteRevenue(BinaryWriter w, RevenueFact fact)
    {
        WriteText(w, fact.OrderId);
        w.Write(fact.Amount);
        WriteMoment(w, fact.Moment);
    }

    public static CustomerState Read(CompactReader r) =>
        new()
        {
            IsRegistered = r.ReadBoolean(),
            Version = r.Read7BitEncodedInt64(),
            LatestOccurredAt = ReadInstant(r),
            Registered = ReadMoment(r),
            Name = r.ReadString(),
            NameSetAt = ReadMoment(r),
            Kind = ReadEnum<CustomerKind>(r),
            Segment = ReadText(r),
            Source = ReadText(r),
            Profile = new CustomerProfile(
                ReadText(r),
                ReadText(r),
                ReadText(r),
                ReadText(r),
                r.ReadBoolean() ? DateOnly.FromDayNumber(r.Read7BitEncodedInt()) : null,
                ReadText(r)
            ),
            OwnerId = ReadText(r),
            Owners = ReadList(r, () => new OwnerAssignment(ReadText(r)!, ReadText(r), ReadMoment(r))),
            Tier = ReadEnum<RelationshipTier>(r),
            TierChanges = ReadList(
                r,
                () =>
                    new TierChange(
                        ReadEnum<RelationshipTier>(r),
                        ReadEnum<RelationshipTier>(r),
                        ReadText(r)!,
                        ReadText(r)!,
                        ReadMoment(r)
                    )
            ),
            Currency = ReadText(r),
            Orders = ReadList(
                    r,
                    () =>
                        KeyValuePair.Create(
                            ReadText(r)!,
                            new Order(ReadText(r)!, r.ReadDecimal(), ReadText(r)!, r.ReadDecimal(), ReadMoment(r))
                        )
                )
                .ToImmutableDictionary(),
            Purchases = ReadList(r, () => new RevenueFact(ReadText(r)!, r.ReadDecimal(), ReadMoment(r))),
            Refunds = ReadList(r, () => new RevenueFact(ReadText(r)!, r.ReadDecimal(), ReadMoment(r))),
            Contacts = ReadList(
                r,
                () =>
                    new ContactFact(
                        ReadText(r)!,
                        ReadEnum<ContactChannel>(r),
                        ReadEnum<ContactInitiator>(r),
                        ReadEnum<ContactPurpose>(r),
                        ReadNullableEnum<CareOccasion>(r),
                        r.ReadBoolean() ? r.ReadDecimal() : null,
                        ReadMoment(r)
                    )
            ),
            Complaints = ReadList(
                    r,
                    () =>
                        KeyValuePair.Create(
                            ReadText(r)!,
                            new ComplaintFact(
                                ReadText(r)!,
                                ReadEnum<ComplaintCategory>(r),
                                ReadEnum<ComplaintSeverity>(r),
                                ReadMoment(r),
                                r.ReadBoolean() ? ReadMoment(r) : null,
                                r.ReadBoolean() ? r.ReadBoolean() : null
                            )
                        )
                )
                .ToImmutableDictionary(),
            Surveys = ReadList(
                r,
                () =>
                    new SurveyFact(
                        ReadText(r)!,
                        r.Read7BitEncodedInt(),
                        r.ReadBoolean() ? r.Read7BitEncodedInt() : null,
                        ReadNullableEnum<RepurchaseIntent>(r),
                        ReadMoment(r)
                    )
            ),
            Care = r.ReadBoolean() ? new CareTierFact(r.Read7BitEncodedInt(), r.ReadDecimal(), ReadMoment(r)) : null,
            Lifecycle = ReadList(
                r,
                () => new LifecycleFact(r.ReadBoolean(), ReadNullableEnum<EndCause>(r), ReadMoment(r))
            ),
            ChurnFlags = ReadList(
                r,
                () => new ChurnFlag([.. ReadList(r, () => ReadEnum<ChurnSignal>(r))], ReadMoment(r))
            ),
        };

    public static void WriteMark(BinaryWriter w, StageMark mark)
    {
        w.Write7BitEncodedInt64(mark.Version);
        WriteInstant(w, mark.EvaluatedAt);
        WriteEnum(w, mark.Stage);
        WriteInstant(w, mark.Since);
    }

    public static StageMark ReadMark(CompactReader r) =>
        new(r.Read7BitEncodedInt64(), ReadInstant(r), ReadEnum<LifecycleStage>(r), ReadInstant(r));

    private static void WriteInstant(BinaryWriter w, DateTimeOffset instant)
    {
        w.Write(instant.UtcTicks);
        w.Write((short)instant.Offset.TotalMinutes);
    }

    private static DateTimeOffset ReadInstant(CompactReader r)
    {
        var utcTicks = r.ReadInt64();
        var offset = TimeSpan.FromMinutes(r.ReadInt16());
        return new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(offset);
    }

    private static void WriteMoment(BinaryWriter w, EventMoment moment)
    {
        w.Write7BitEncodedInt64(moment.Version);
        WriteInstant(w, moment.At);
    }

    private static EventMoment ReadMoment(CompactReader r) => new(r.Read7BitEncodedInt64(), ReadInstant(r));

    private static void WriteText(BinaryWriter w, string? text)
    {
        w.Write(text is not null);
        if (text is not null)
            w.Write(text);
    }

    private static string? ReadText(CompactReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteEnum<T>(BinaryWriter w, T value)
        where T : struct, Enum => w.Write7BitEncodedInt(System.Runtime.CompilerServices.Unsafe.BitCast<T, int>(value));

    private static void WriteNullableEnum<T>(BinaryWriter w, T? value)
        where T : struct, Enum
    {
        w.Write(value is not null);
        if (value is { } v)
            WriteEnum(w, v);
    }

    /// <summary>An enum value from its int (every state enum is int-based); without boxing, unlike <see cref="Enum.ToObject(Type, int)"/>.</summary>
    private static T ReadEnum<T>(CompactReader r)
        where T : struct, Enum => System.Runtime.CompilerServices.Unsafe.BitCast<int, T>(r.Read7BitEncodedInt());

    private static T? ReadNullableEnum<T>(CompactReader r)
        where T : struct, Enum => r.ReadBoolean() ? ReadEnum<T>(r) : null;

    private static void WriteList<T>(BinaryWriter w, IReadOnlyCollection<T> items, Action<T> write)
    {
        w.Write7BitEncodedInt(items.Count);
        foreach (var item in items)
            write(item);
    }

    private static AppendOnlyList<T> ReadList<T>(CompactReader r, Func<T> read)
    {
        var count = r.Read7BitEncodedInt();
        var items = new T[count];
        for (var i = 0; i < count; i++)
            items[i] = read();
        return [.. items];
    }
}

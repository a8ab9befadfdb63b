using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RelationshipLedger.EventStore;

/// <summary>
/// An event's place in the global log: its writing transaction, then its sequence number. The log
/// is read in this order, which, unlike sequence numbers alone, never lets an event that commits
/// late appear behind a position a reader has already passed.
/// </summary>
public readonly record struct GlobalPosition(ulong TransactionId, long SequenceId) : IComparable<GlobalPosition>
{
    /// <summary>Before every event.</summary>
    public static GlobalPosition Start { get; } = new(0, 0);

    public int CompareTo(GlobalPosition other) =>
        TransactionId != other.TransactionId
            ? TransactionId.CompareTo(other.TransactionId)
            : SequenceId.CompareTo(other.SequenceId);

    public static bool operator <(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) >= 0;

    /// <summary>The cursor form, <c>TX-SEQ</c>, that feeds and checkpoints exchange.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TransactionId}-{SequenceId}");

    public static bool TryParse([NotNullWhen(true)] string? cursor, out GlobalPosition position)
    {
        position = Start;
        var parts = cursor?.Split('-');
        if (
            parts is not [var tx, var seq]
            || !ulong.TryParse(tx, NumberStyles.None, CultureInfo.InvariantCulture, out var transactionId)
            || !long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var sequenceId)
        )
            return false;
        position = new GlobalPosition(transactionId, sequenceId);
        return true;
    }

    public static GlobalPosition Parse(string cursor) =>
        TryParse(cursor, out var position)
            ? position
            : throw new FormatException($"'{cursor}' is not a log position; it has the form TX-SEQ, e.g. '7412-118'.");
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RelationshipLedger.EventStore.Integrity;

/// <summary>
/// The hash chain, computed here independently of the SQL that wrote it (Schema/0002): from the
/// stored row alone, hash(v) = SHA-256(hash(v−1) ‖ canonical bytes of event v), hash(0) = empty.
/// </summary>
public static class CanonicalEvent
{
    private static readonly DateTime PostgresEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The hash of <paramref name="recorded"/> chained after <paramref name="previousHash"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> previousHash, RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previousHash);
        AppendField(hash, recorded.StreamId);
        AppendInt64(hash, recorded.Version);
        AppendField(hash, recorded.Type);
        AppendInt64(hash, MicrosecondsSince2000(recorded.OccurredAt));
        AppendInt64(hash, MicrosecondsSince2000(recorded.RecordedAt));
        AppendField(hash, recorded.Data);
        AppendField(hash, recorded.Metadata);
        return hash.GetHashAndReset();
    }

    private static void AppendField(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static void AppendInt64(IncrementalHash hash, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        hash.AppendData(bytes);
    }

    private static long MicrosecondsSince2000(DateTimeOffset instant) =>
        (instant.UtcDateTime - PostgresEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}

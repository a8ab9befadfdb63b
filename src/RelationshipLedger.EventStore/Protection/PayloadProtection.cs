using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RelationshipLedger.EventStore.Protection;

/// <summary>
/// A field of a payload stored encrypted: the JSON property names leading to it, and what it reads as
/// once its stream's key is erased (<c>null</c>: JSON null, for fields that may be absent).
/// </summary>
public sealed record ProtectedField(IReadOnlyList<string> Path, string? ErasedValue)
{
    public string Name => Path[^1];

    /// <summary>The path as one string (<c>changes.email</c>): bound into each ciphertext.</summary>
    public string DottedPath => string.Join('.', Path);
}

/// <summary>A stream's data key as read beside its events: the key, or none — erased, or never made.</summary>
public readonly record struct StreamKey(byte[]? Key, bool Erased)
{
    public static StreamKey None => default;
}

/// <summary>
/// Crypto-shredding of chosen payload fields (docs/erasure.md). Before an append, each protected field
/// with a value is replaced by <c>enc:v1:</c> and base64url of nonce, tag and ciphertext (characters no
/// JSON writer escapes, so an envelope is found again in any text form of the payload): the field's JSON
/// value encrypted with AES-256-GCM under its stream's key, the stream id, event type and field path
/// bound in as associated data (a ciphertext moved to another stream, event or field does not decrypt).
/// Reading decrypts them with the key read beside the events; once the key is erased every protected
/// field reads as its <see cref="ProtectedField.ErasedValue"/>. The stored bytes never change, so the
/// hash chains and digests, computed over them, verify before and after.
/// </summary>
public sealed class PayloadProtection(IReadOnlyDictionary<string, IReadOnlyList<ProtectedField>> fieldsByType)
{
    public const string EnvelopePrefix = "enc:v1:";
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public bool Protects(string type) => fieldsByType.ContainsKey(type);

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>
    /// <paramref name="json"/> with each protected field that has a value encrypted under <paramref name="key"/>.
    /// </summary>
    /// <exception cref="StreamErasedException">The payload carries a protected value and the stream's key is erased.</exception>
    public string Protect(string streamId, string type, string json, StreamKey key)
    {
        if (!fieldsByType.TryGetValue(type, out var fields))
            return json;
        var root = JsonNode.Parse(json)!.AsObject();
        var changed = false;
        foreach (var field in fields)
        {
            if (Parent(root, field) is not { } parent || parent[field.Name] is not { } value)
                continue;
            if (key.Key is not { } secret)
                throw new StreamErasedException(streamId, field.DottedPath);
            parent[field.Name] = Encrypt(secret, Binding(streamId, type, field), value.ToJsonString());
            changed = true;
        }
        return changed ? root.ToJsonString(RelaxedJson) : json;
    }

    /// <summary>
    /// <paramref name="json"/> as stored, with its protected fields decrypted — or, when the key is erased
    /// (or a field does not decrypt under it), each reading as its erased value. Each envelope is replaced
    /// in the text itself, so the payload keeps the form it was stored in (jsonb's, when read back).
    /// Fields stored in the clear (before the field was protected) are returned as they are while the key
    /// lives, and read as erased once it is gone.
    /// </summary>
    public string Reveal(string streamId, string type, string json, StreamKey key)
    {
        if (!fieldsByType.TryGetValue(type, out var fields))
            return json;
        var hasEnvelopes = json.Contains(EnvelopePrefix, StringComparison.Ordinal);
        if (!hasEnvelopes && !key.Erased)
            return json;
        var root = JsonNode.Parse(json)!.AsObject();
        var revealed = new StringBuilder(json);
        var clearValuesLeft = false;
        foreach (var field in fields)
        {
            if (Parent(root, field) is not { } parent || parent[field.Name] is not { } value)
                continue;
            if (!IsEnvelope(value))
            {
                clearValuesLeft |= key.Erased && value.ToJsonString() != ErasedJson(field);
                continue;
            }
            var opened = key.Erased ? null : Decrypt(key.Key, Binding(streamId, type, field), value);
            revealed.Replace(
                $"\"{value.GetValue<string>()}\"",
                opened is null ? ErasedJson(field) : opened.ToJsonString(RelaxedJson)
            );
        }
        return clearValuesLeft ? EraseClearValues(revealed.ToString(), fields) : revealed.ToString();
    }

    private static readonly JsonSerializerOptions RelaxedJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string ErasedJson(ProtectedField field) =>
        field.ErasedValue is { } erased ? JsonValue.Create(erased).ToJsonString(RelaxedJson) : "null";

    /// <summary>A payload of an erased stream with fields stored in the clear: each set to its erased value.</summary>
    private static string EraseClearValues(string json, IReadOnlyList<ProtectedField> fields)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        foreach (var field in fields)
            if (Parent(root, field) is { } parent && parent[field.Name] is not null)
                parent[field.Name] = field.ErasedValue is { } erased ? JsonValue.Create(erased) : null;
        return root.ToJsonString(RelaxedJson);
    }

    private static JsonObject? Parent(JsonObject root, ProtectedField field)
    {
        var node = root;
        for (var i = 0; i < field.Path.Count - 1; i++)
            if (node[field.Path[i]] is JsonObject child)
                node = child;
            else
                return null;
        return node;
    }

    private static byte[] Binding(string streamId, string type, ProtectedField field) =>
        Encoding.UTF8.GetBytes($"{streamId}\n{type}\n{field.DottedPath}");

    private static string Encrypt(byte[] key, byte[] binding, string plainJson)
    {
        var plain = Encoding.UTF8.GetBytes(plainJson);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(
            nonce,
            plain,
            sealedBytes.AsSpan(NonceSize + TagSize),
            sealedBytes.AsSpan(NonceSize, TagSize),
            binding
        );
        return EnvelopePrefix + Base64Url.EncodeToString(sealedBytes);
    }

    private static bool IsEnvelope(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String
        && value.GetValue<string>().StartsWith(EnvelopePrefix, StringComparison.Ordinal);

    /// <summary>The envelope's JSON value, or null when this key (none: null) does not open it.</summary>
    private static JsonNode? Decrypt(byte[]? key, byte[] binding, JsonNode envelope)
    {
        if (key is null)
            return null;
        var text = envelope.GetValue<string>();
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(text.AsSpan(EnvelopePrefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < NonceSize + TagSize)
            return null;
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                sealedBytes.AsSpan(0, NonceSize),
                sealedBytes.AsSpan(NonceSize + TagSize),
                sealedBytes.AsSpan(NonceSize, TagSize),
                plain,
                binding
            );
        }
        catch (CryptographicException)
        {
            return null;
        }
        return JsonNode.Parse(plain);
    }
}

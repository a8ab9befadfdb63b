using System.Globalization;

namespace RelationshipLedger.Domain.Customers;

/// <summary>Collects the field errors of one command; each check names the field as the API calls it.</summary>
internal sealed class FieldRules
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 1000;
    public const int MaxTextLength = 4000;
    public const decimal MaxAmount = 1_000_000_000_000m;
    public const int MaxAmountDecimals = 4;

    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public FieldRules Fail(string field, string message)
    {
        _errors.Add(new FieldError(field, message));
        return this;
    }

    /// <summary>An id within a stream (order, complaint, survey, contact, owner): 1–64 characters, no control characters.</summary>
    public FieldRules Id(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return Fail(field, "is required.");
        if (value.Length > MaxIdLength)
            return Fail(field, $"has at most {MaxIdLength} characters.");
        return value.Any(char.IsControl) ? Fail(field, "must not contain control characters.") : this;
    }

    public FieldRules Required(string field, string? value, int maxLength, bool multiline = false) =>
        string.IsNullOrWhiteSpace(value) ? Fail(field, "is required.") : Optional(field, value, maxLength, multiline);

    public FieldRules Optional(string field, string? value, int maxLength, bool multiline = false)
    {
        if (value is null)
            return this;
        if (value.Length > maxLength)
            return Fail(field, $"has at most {maxLength} characters.");
        var forbidden = value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'));
        if (forbidden)
            return Fail(
                field,
                multiline
                    ? "must not contain control characters other than line breaks and tabs."
                    : "must not contain control characters."
            );
        return value.Any(char.IsSurrogate) && !IsWellFormed(value) ? Fail(field, "is not well-formed Unicode.") : this;
    }

    public FieldRules Defined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? this : Fail(field, $"is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");

    public FieldRules Defined<TEnum>(string field, TEnum? value)
        where TEnum : struct, Enum => value is { } v ? Defined(field, v) : this;

    public FieldRules PositiveAmount(string field, decimal amount)
    {
        if (amount <= 0)
            return Fail(field, "must be greater than 0.");
        return AmountShape(field, amount);
    }

    public FieldRules NonNegativeAmount(string field, decimal? amount)
    {
        if (amount is not { } value)
            return this;
        if (value < 0)
            return Fail(field, "must not be negative.");
        return AmountShape(field, value);
    }

    public FieldRules Currency(string field, string? currency) =>
        Iso4217.IsCode(currency) ? this : Fail(field, "must be an ISO 4217 currency code in upper case, e.g. EUR.");

    public FieldRules Range(string field, int value, int min, int max) =>
        value >= min && value <= max ? this : Fail(field, $"must be between {min} and {max}.");

    public FieldRules Range(string field, int? value, int min, int max) =>
        value is { } v ? Range(field, v, min, max) : this;

    public FieldRules Email(string field, string? email)
    {
        Optional(field, email, 254);
        if (email is null)
            return this;
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = at > 0 && at < email.Length - 1 && email.IndexOf('@', at + 1) < 0 && !email.Any(char.IsWhiteSpace);
        return valid ? this : Fail(field, "is not an e-mail address.");
    }

    public FieldRules Phone(string field, string? phone)
    {
        Optional(field, phone, 40);
        if (phone is null)
            return this;
        var valid =
            phone.Any(char.IsAsciiDigit)
            && phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.' or '/');
        return valid ? this : Fail(field, "may contain only digits, spaces and + - ( ) . /");
    }

    private FieldRules AmountShape(string field, decimal amount)
    {
        if (amount > MaxAmount)
            return Fail(field, $"must not exceed {MaxAmount.ToString(CultureInfo.InvariantCulture)}.");
        return amount.Scale > MaxAmountDecimals
            ? Fail(field, $"has at most {MaxAmountDecimals} decimal places.")
            : this;
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(value[i]))
                return false;
        }
        return true;
    }
}

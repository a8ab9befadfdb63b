using System.Text;

namespace RelationshipLedger.Application.Tests.Feed;

/// <summary>A strict RFC 4180 reader, written for the tests independently of the exporter: CRLF between records, quoted fields with doubled quotes.</summary>
public static class Rfc4180
{
    public static IReadOnlyList<string[]> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                for (i++; ; i++)
                {
                    Assert.True(i < text.Length, "a quoted field is not closed");
                    if (text[i] != '"')
                        field.Append(text[i]);
                    else if (i + 1 < text.Length && text[i + 1] == '"')
                        field.Append(text[++i]);
                    else
                        break;
                }
                i++;
            }
            while (i < text.Length && text[i] is not (',' or '\r'))
            {
                Assert.True(text[i] is not ('"' or '\n'), $"an unquoted field holds a quote or line feed at {i}");
                field.Append(text[i++]);
            }
            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }
            Assert.True(i + 1 < text.Length && text[i + 1] == '\n', $"a record does not end with CRLF at {i}");
            i += 2;
            records.Add([.. fields]);
            fields.Clear();
        }
        return records;
    }
}

namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>
/// A table the ledger command drew (Spectre.Console's square border, as it writes to a pipe), read back
/// into cells. A line whose first cell is empty continues the row above it: a cell of several lines
/// (the timeline's "What changed") comes back as one cell with its lines joined by '\n'.
/// </summary>
public sealed record ConsoleTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    private const char Separator = '│';

    /// <summary>Every table in <paramref name="output"/>, in order.</summary>
    public static IReadOnlyList<ConsoleTable> AllIn(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tables = new List<ConsoleTable>();
        List<string>? header = null;
        List<List<string>> rows = [];
        foreach (var line in output.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith('┌'))
            {
                header = null;
                rows = [];
            }
            else if (line.StartsWith(Separator) && line.EndsWith(Separator))
            {
                var cells = line[1..^1].Split(Separator).Select(c => c.Trim()).ToList();
                if (header is null)
                    header = cells;
                else if (rows.Count > 0 && cells[0].Length == 0)
                    Continue(rows[^1], cells);
                else
                    rows.Add(cells);
            }
            else if (line.StartsWith('└') && header is not null)
                tables.Add(new ConsoleTable(header, rows));
        }
        return tables;
    }

    private static void Continue(List<string> row, List<string> continuation)
    {
        for (var i = 0; i < continuation.Count; i++)
            if (continuation[i].Length > 0)
                row[i] = row[i].Length == 0 ? continuation[i] : $"{row[i]}\n{continuation[i]}";
    }

    /// <summary>The only table in <paramref name="output"/>.</summary>
    public static ConsoleTable In(string output)
    {
        var tables = AllIn(output);
        Assert.True(tables.Count == 1, $"Expected one table but found {tables.Count} in:\n{output}");
        return tables[0];
    }

    /// <summary>The cells of column <paramref name="name"/>, top to bottom.</summary>
    public IReadOnlyList<string> Column(string name)
    {
        var index = Header.ToList().IndexOf(name);
        Assert.True(index >= 0, $"No column '{name}' in a table with {string.Join(", ", Header)}.");
        return [.. Rows.Select(row => row[index])];
    }
}

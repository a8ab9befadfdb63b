namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>An import file in the temporary directory, deleted when the test is done with it.</summary>
public sealed class NdjsonFile : IDisposable
{
    private NdjsonFile(string path) => Path = path;

    public string Path { get; }

    public static NdjsonFile Write(params string[] lines)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ledger-import-{Guid.NewGuid():N}.ndjson");
        File.WriteAllLines(path, lines);
        return new NdjsonFile(path);
    }

    public void Dispose() => File.Delete(Path);
}

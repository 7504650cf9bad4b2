using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

public sealed class JobLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ringrift-log-" + Guid.NewGuid().ToString("N") + ".log");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void JsonLines_SetProgressAndResult_OtherLinesAreIgnored()
    {
        File.WriteAllText(_path, "starting\n{\"progress\": 0.25}\nnot {json}\n{\"progress\": 7}\n{\"result\": {\"elo\": 1490.5}}\n{broken\n");
        var reader = new JobLogReader(_path);
        reader.ReadNew();
        Assert.Equal(1.0, reader.Progress); // clamped to 0–1
        Assert.Equal(1490.5, reader.Result!["elo"]!.GetValue<double>());
    }

    [Fact]
    public void ReadNew_ReadsOnlyAppendedText_AndWaitsForTheEndOfALine()
    {
        var reader = new JobLogReader(_path);
        reader.ReadNew(); // no file yet: nothing
        Assert.Null(reader.Progress);

        File.WriteAllText(_path, "{\"progress\": 0.1}\n{\"progr");
        reader.ReadNew();
        Assert.Equal(0.1, reader.Progress);

        File.AppendAllText(_path, "ess\": 0.6}\n");
        reader.ReadNew();
        Assert.Equal(0.6, reader.Progress);
    }

    [Fact]
    public void Flush_ParsesALastLineWithoutNewline()
    {
        File.WriteAllText(_path, "{\"result\": {\"games_completed\": 3}}");
        var reader = new JobLogReader(_path);
        reader.ReadNew();
        Assert.Null(reader.Result);
        reader.Flush();
        Assert.Equal(3, reader.Result!["games_completed"]!.GetValue<int>());
    }

    [Fact]
    public void StartOffset_SkipsAnEarlierAttemptsOutput()
    {
        File.WriteAllText(_path, "{\"result\": {\"attempt\": 1}}\nfirst attempt failed\n");
        var offset = new FileInfo(_path).Length;
        File.AppendAllText(_path, "second attempt\n");
        var reader = new JobLogReader(_path, offset);
        reader.Flush();
        Assert.Null(reader.Result);
        Assert.Equal("second attempt", reader.Tail());
    }

    [Fact]
    public void Tail_IsTheLastKilobyteOfWholeLines()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i:D3} ..........\n")));
        var tail = JobLogReader.Tail(_path);
        Assert.True(tail.Length <= JobLogReader.TailBytes);
        Assert.StartsWith("line ", tail);
        Assert.EndsWith("line 099 ..........", tail);
        Assert.Equal("", JobLogReader.Tail(_path + ".missing"));
    }
}

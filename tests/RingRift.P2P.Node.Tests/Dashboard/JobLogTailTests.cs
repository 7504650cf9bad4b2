using RingRift.P2P.Node.Dashboard;

namespace RingRift.P2P.Node.Tests.Dashboard;

public sealed class JobLogTailTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ringrift-tail-" + Guid.NewGuid().ToString("N") + ".log");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void MissingFile_IsNull()
    {
        Assert.Null(JobLogTail.Read(_path, 10));
    }

    [Fact]
    public void EmptyFile_HasNoLines_AndIsWhole()
    {
        File.WriteAllText(_path, "");

        var tail = JobLogTail.Read(_path, 10)!;

        Assert.Empty(tail.Lines);
        Assert.True(tail.WholeLog);
        Assert.Equal(0, tail.SizeBytes);
    }

    [Fact]
    public void ShortLog_IsReturnedWhole_WithOrWithoutAFinalBreak()
    {
        File.WriteAllText(_path, "one\r\ntwo\nthree");

        var tail = JobLogTail.Read(_path, 10)!;

        Assert.Equal(["one", "two", "three"], tail.Lines);
        Assert.True(tail.WholeLog);
        Assert.Equal(new FileInfo(_path).Length, tail.SizeBytes);
    }

    [Fact]
    public void LongLog_GivesExactlyTheLastLines_OldestFirst()
    {
        File.WriteAllLines(_path, Enumerable.Range(1, 5000).Select(i => $"line {i}"));

        var tail = JobLogTail.Read(_path, 3)!;

        Assert.Equal(["line 4998", "line 4999", "line 5000"], tail.Lines);
        Assert.False(tail.WholeLog);
    }

    [Fact]
    public void AsManyLinesAsTheLogHas_IsTheWholeLog_OneFewerIsNot()
    {
        File.WriteAllLines(_path, ["a", "b", "c"]);

        Assert.True(JobLogTail.Read(_path, 3)!.WholeLog);
        var two = JobLogTail.Read(_path, 2)!;
        Assert.Equal(["b", "c"], two.Lines);
        Assert.False(two.WholeLog);
    }

    [Fact]
    public void HugeLog_ReadsAtMostMaxBytes_FromItsEnd()
    {
        // 1 MiB of 1 KiB lines: 500 lines would need 500 KiB, but only the last 256 KiB are read.
        var line = new string('x', 1023);
        using (var writer = new StreamWriter(_path))
            for (var i = 0; i < 1024; i++) writer.Write(line + "\n");

        var tail = JobLogTail.Read(_path, JobLogTail.MaxLines)!;

        Assert.False(tail.WholeLog);
        Assert.InRange(tail.Lines.Count, JobLogTail.MaxBytes / 1024 - 1, JobLogTail.MaxBytes / 1024);
        Assert.All(tail.Lines, l => Assert.Equal(line, l)); // no partial first line
    }

    [Fact]
    public void VeryLongLine_IsCut_WithAnEllipsis()
    {
        File.WriteAllText(_path, "short\n" + new string('y', 10_000) + "\n");

        var tail = JobLogTail.Read(_path, 5)!;

        Assert.Equal("short", tail.Lines[0]);
        Assert.Equal(JobLogTail.MaxLineChars, tail.Lines[1].Length);
        Assert.EndsWith("…", tail.Lines[1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JobLogTail.MaxLines + 1)]
    public void LineCountOutOfRange_Throws(int lines)
    {
        File.WriteAllText(_path, "x\n");

        Assert.Throws<ArgumentOutOfRangeException>(() => JobLogTail.Read(_path, lines));
    }
}

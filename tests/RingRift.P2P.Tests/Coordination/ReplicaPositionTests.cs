using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Coordination;

/// <summary>The replica_position file: what it holds, how it survives a restart, and what an unreadable one means.</summary>
public sealed class ReplicaPositionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ringrift-pos-").FullName;

    private string FilePath => Path.Combine(_dir, "replica_position");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static WorkItem Item(long version) => new()
    {
        WorkId = $"w-{version}",
        WorkType = JobType.Selfplay,
        Config = new(),
        Version = version,
    };

    [Fact]
    public void Record_KeepsTheHighestVersion_AndARestartReadsIt()
    {
        var position = new ReplicaPosition(FilePath);
        position.Record([Item(5), Item(9), Item(7)]);
        position.Record([Item(8)]); // lower: nothing changes

        Assert.Equal(9, position.Acknowledged);
        Assert.Equal("9", File.ReadAllText(FilePath).TrimEnd());
        var reopened = new ReplicaPosition(FilePath);
        Assert.Equal((9L, false, null), (reopened.Acknowledged, reopened.Behind, reopened.Unreadable));
    }

    [Fact]
    public void Behind_IsStickyAcrossRecordsAndRestarts_UntilCaughtUp_WhichMayLowerThePosition()
    {
        var position = new ReplicaPosition(FilePath);
        position.Record([Item(100)]);
        position.MarkBehind();
        position.Record([Item(200)]);

        Assert.Equal("200 behind", File.ReadAllText(FilePath).TrimEnd());
        Assert.True(new ReplicaPosition(FilePath).Behind);

        position.CaughtUp(150);
        var reopened = new ReplicaPosition(FilePath);
        Assert.Equal((150L, false), (reopened.Acknowledged, reopened.Behind));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("-3")]
    [InlineData("12 ahead")]
    [InlineData("12 behind extra")]
    public void UnreadableFile_CountsAsNothingKnown_AndSaysWhichFileAndWhy(string text)
    {
        File.WriteAllText(FilePath, text);

        var position = new ReplicaPosition(FilePath);

        Assert.Equal((0L, false), (position.Acknowledged, position.Behind));
        Assert.NotNull(position.Unreadable);
        Assert.Contains($"replica position file '{FilePath}' is unreadable", position.Unreadable);
        position.Record([Item(3)]);
        Assert.Equal("3", File.ReadAllText(FilePath).TrimEnd()); // the next write repairs it
    }

    [Fact]
    public void MissingFile_IsPositionZero_WithoutAComplaint()
    {
        var position = new ReplicaPosition(FilePath);

        Assert.Equal((0L, false, null), (position.Acknowledged, position.Behind, position.Unreadable));
        Assert.False(File.Exists(FilePath));
    }
}

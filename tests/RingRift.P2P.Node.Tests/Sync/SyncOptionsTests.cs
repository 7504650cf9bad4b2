using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>The sync defaults, pinned, and validation that names the bad field.</summary>
public sealed class SyncOptionsTests
{
    [Fact]
    public void Defaults()
    {
        var options = new SyncOptions { DataDir = "d", NodeId = "n" }.Validate();
        Assert.Equal(0, options.BandwidthBytesPerSecond); // unlimited
        Assert.Equal(2, options.MaxConcurrentPulls);
        Assert.Equal(1L << 30, options.FreeSpaceReserveBytes);
        Assert.Equal(5, options.FreeSpaceReservePercent);
        Assert.Equal(3, options.PullAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ManifestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StallTimeout);
        Assert.Equal(50, options.RecentPullsKept);
    }

    [Theory]
    [InlineData("BandwidthBytesPerSecond", "-1")]
    [InlineData("MaxConcurrentPulls", "0")]
    [InlineData("FreeSpaceReservePercent", "100")]
    [InlineData("PullAttempts", "0")]
    public void Validate_NamesTheFieldAndTheValue(string field, string value)
    {
        var options = new SyncOptions { DataDir = "d", NodeId = "n" };
        options = field switch
        {
            "BandwidthBytesPerSecond" => options with { BandwidthBytesPerSecond = long.Parse(value) },
            "MaxConcurrentPulls" => options with { MaxConcurrentPulls = int.Parse(value) },
            "FreeSpaceReservePercent" => options with { FreeSpaceReservePercent = double.Parse(value) },
            _ => options with { PullAttempts = int.Parse(value) },
        };
        var ex = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(value, ex.Message);
    }

    [Fact]
    public void DiskSpace_Of_ReadsTheDriveOfTheDataDir()
    {
        using var data = new TempDir();
        var space = DiskSpace.Of(data.Path);
        Assert.InRange(space.FreeBytes, 1, space.TotalBytes);
    }
}

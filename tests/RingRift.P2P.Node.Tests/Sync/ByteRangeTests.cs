using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>Range header parsing (RFC 9110 §14.1.2 byte ranges; one range only).</summary>
public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-", 100, 0, 99)]
    [InlineData("bytes=40-", 100, 40, 99)]
    [InlineData("bytes=10-19", 100, 10, 19)]
    [InlineData("bytes=90-500", 100, 90, 99)] // the end is clamped to the last byte
    [InlineData("bytes=-10", 100, 90, 99)]
    [InlineData("bytes=-500", 100, 0, 99)]
    [InlineData("bytes=99-99", 100, 99, 99)]
    public void TryParse_SatisfiableRanges(string header, long length, long start, long end)
    {
        Assert.True(ByteRange.TryParse(header, length, out var range));
        Assert.Equal(new ByteRange(start, end), range);
    }

    [Theory]
    [InlineData("bytes=100-", 100)] // starts at the end
    [InlineData("bytes=20-10", 100)] // end before start
    [InlineData("bytes=0-1,5-6", 100)] // several ranges
    [InlineData("items=0-5", 100)]
    [InlineData("bytes=abc-", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=5", 100)]
    [InlineData("bytes=+5-", 100)]
    [InlineData("bytes=0-", 0)] // nothing to serve of an empty file
    public void TryParse_RefusesUnsatisfiableOrMalformedRanges(string header, long length) =>
        Assert.False(ByteRange.TryParse(header, length, out _));

    [Fact]
    public void ContentRange_NamesFirstLastAndTotal() =>
        Assert.Equal("bytes 10-19/100", new ByteRange(10, 19).ContentRange(100));
}

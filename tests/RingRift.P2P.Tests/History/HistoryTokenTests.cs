using RingRift.P2P.Testing.History;
using Xunit;

namespace RingRift.P2P.Tests.History;

public sealed class HistoryTokenTests
{
    [Theory]
    [InlineData("1.10", "1.9", 1)]    // index compares as a number, not text
    [InlineData("2.1", "1.99", 1)]    // a later term wins
    [InlineData("1.5.2", "1.5", 1)]   // a later slot of the same batched entry
    [InlineData("1.5", "1.6", -1)]
    [InlineData("3.4.1", "3.4.1", 0)]
    [InlineData("junk", "0.0", -1)]   // unparsable sorts first
    public void Compare_OrdersByTermIndexSlot(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(HistoryToken.Compare(a, b)));

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("1.2.3.4")]
    [InlineData("-1.2")]
    [InlineData("a.b")]
    public void TryParse_RejectsMalformed(string text) => Assert.False(HistoryToken.TryParse(text, out _));
}

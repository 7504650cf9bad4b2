using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Config;

/// <summary><c>--env-file</c> reads a file as systemd's EnvironmentFile= does, and says which lines systemd would ignore.</summary>
public sealed class EnvFileTests
{
    [Fact]
    public void Parse_ReadsNameValueLines_AsSystemdDoes()
    {
        var file = EnvFile.Parse("""
            # a comment
            ; another comment

              RINGRIFT_P2P_PORT = 8771
            RINGRIFT_NODE_ID="gpu-1"
            RINGRIFT_P2P_PEERS='a:1,b:2'
            RINGRIFT_WEBHOOK_URL="https://x.test/a\"b\\c"
            RINGRIFT_P2P_VOTERS=a,\
            b,c
            RINGRIFT_P2P_PORT=8772
            """, "node.env");

        Assert.Equal("8772", file.Values["RINGRIFT_P2P_PORT"]);
        Assert.Equal(10, file.LineOf("RINGRIFT_P2P_PORT"));
        Assert.Equal("gpu-1", file.Values["RINGRIFT_NODE_ID"]);
        Assert.Equal("a:1,b:2", file.Values["RINGRIFT_P2P_PEERS"]);
        Assert.Equal("https://x.test/a\"b\\c", file.Values["RINGRIFT_WEBHOOK_URL"]);
        Assert.Equal("a,b,c", file.Values["RINGRIFT_P2P_VOTERS"]);
        Assert.Equal(8, file.LineOf("RINGRIFT_P2P_VOTERS"));
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void LinesSystemdIgnores_AreWarnings_ThatNeverEchoTheLine()
    {
        var file = EnvFile.Parse("export RINGRIFT_P2P_PORT=1\nsecret-token-pasted-alone\n1BAD=x\n", "node.env");

        Assert.Equal([
            "node.env line 1: key 'export RINGRIFT_P2P_PORT': systemd does not read 'export NAME=VALUE'; write NAME=VALUE (the line is ignored)",
            "node.env line 2: not NAME=VALUE; systemd ignores this line",
            "node.env line 3: '1BAD' is not a variable name (letters, digits and '_', not starting with a digit); systemd ignores this line",
        ], file.Warnings.Select(w => w.ToString()));
        Assert.Empty(file.Values);
    }

    [Fact]
    public void Over_LaysTheFileOverTheEnvironment()
    {
        var file = EnvFile.Parse("A=file\n", "x.env");

        var merged = file.Over(new Dictionary<string, string?> { ["A"] = "process", ["B"] = "process" });

        Assert.Equal(("file", "process"), (merged["A"], merged["B"]));
    }
}

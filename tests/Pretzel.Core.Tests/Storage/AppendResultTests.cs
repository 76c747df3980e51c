using Pretzel.Core.Storage;

namespace Pretzel.Core.Tests.Storage;

public sealed class AppendResultTests
{
    [Fact]
    public void Add_SumsWrittenAndDuplicatesSeparately()
    {
        var sum = new AppendResult(3, 1) + new AppendResult(10, 20);

        Assert.Equal(new AppendResult(13, 21), sum);
    }

    [Fact]
    public void Add_DefaultIsTheIdentity()
    {
        var value = new AppendResult(7, 9);

        Assert.Equal(value, value + default(AppendResult));
        Assert.Equal(value, default(AppendResult) + value);
    }
}

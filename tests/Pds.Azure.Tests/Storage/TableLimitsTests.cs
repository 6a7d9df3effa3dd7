using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

public sealed class TableLimitsTests
{
    [Fact]
    public void EntitySize_FollowsTheServiceFormula()
    {
        // 4 + 2*(1+1) + [8 + 2*1 + (4 + 2*2)] + [8 + 2*1 + (4 + 3)] + [8 + 2*1 + 8] + [8 + 2*1 + 1]
        var e = new TableEntity("p", "r").Set("S", "ab").Set("B", new byte[3]).Set("L", 1L).Set("F", true);
        Assert.Equal(4 + 4 + 18 + 17 + 18 + 11, TableLimits.EntitySize(e));
    }

    [Fact]
    public void Validate_StringOverLimit_Throws_AtLimitPasses()
    {
        TableLimits.Validate(new TableEntity("p", "r").Set("S", new string('x', TableLimits.MaxStringChars)));
        var e = Assert.Throws<TableLimitException>(() => TableLimits.Validate(new TableEntity("p", "r").Set("S", new string('x', TableLimits.MaxStringChars + 1))));
        Assert.Contains("'S'", e.Message);
    }

    [Fact]
    public void Validate_TooManyProperties_Throws()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i <= TableLimits.MaxCustomProperties; i++)
        {
            entity.Set("P" + i, i);
        }
        Assert.Throws<TableLimitException>(() => TableLimits.Validate(entity));
    }

    [Fact]
    public void Validate_DateBefore1601_Throws()
    {
        Assert.Throws<TableLimitException>(() => TableLimits.Validate(new TableEntity("p", "r").Set("D", DateTimeOffset.MinValue)));
    }

    [Fact]
    public void PropertyName_Over255Chars_Throws() =>
        Assert.Throws<TableLimitException>(() => new TableEntity("p", "r").Set(new string('a', 256), 1));
}

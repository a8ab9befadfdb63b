namespace RelationshipLedger.Domain.Customers;

public enum CustomerKind
{
    Individual,
    Organization,
}

/// <summary>The relationship level (关系水平); every customer starts at <see cref="Transactional"/>.</summary>
public enum RelationshipTier
{
    Transactional,
    PreferredSupplier,
    Partner,
    StrategicAlliance,
}

public enum ContactChannel
{
    Visit,
    Phone,
    Email,
    Message,
    Meeting,
    Event,
    Gift,
    Greeting,
}

public enum ContactInitiator
{
    Company,
    Customer,
}

public enum ContactPurpose
{
    Sales,
    Service,
    FollowUp,
    Advice,
    JointPlanning,
    Care,
    Feedback,
}

public enum CareOccasion
{
    Birthday,
    Holiday,
    Anniversary,
    Visit,
}

public enum ComplaintCategory
{
    Product,
    Service,
    Delivery,
    Price,
    Staff,
    Other,
}

public enum ComplaintSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

public enum RepurchaseIntent
{
    Yes,
    Maybe,
    No,
}

public enum EndCause
{
    Competitor,
    NeedsChanged,
    Dissatisfaction,
    ExpectationsUnmet,
    External,
    Other,
}

/// <summary>What the churn watch saw (domain.md §2.8).</summary>
public enum ChurnSignal
{
    /// <summary>With three or more purchases, the time since the last one exceeds twice the median interval.</summary>
    PurchaseCycleLengthening,

    /// <summary>Net revenue of the last 180 days is under half that of the 180 days before.</summary>
    VolumeHalved,

    /// <summary>The mean of the last two survey ratings is 2 or less.</summary>
    LowSatisfaction,
}

//! What a key does: one variant per distinct meaning.

/// What a key does. Each distinct meaning has its own action (打印受理回执 is `PrintSlip`,
/// 打印测试页 is `PrintTestPage`), so a screen's `match` reads as what happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Help,
    /// the session's messages in full
    MessageLog,
    Back,
    Quit,
    Lock,
    SignOut,
    Up,
    Down,
    PageUp,
    PageDown,
    /// the first row of a list
    First,
    /// the last row of a list
    Last,
    NextField,
    PrevField,
    /// confirm a form (or sign in, unlock)
    Submit,
    /// open the selected row of a list (its page, details or basis)
    Open,
    OpenCounter,
    OpenPayments,
    OpenDeadlines,
    /// the orders held by the signed-in person, most urgent first
    MyWork,
    OpenMeters,
    OpenCases,
    OpenReports,
    /// the 统计 screen: twelve months of collections and orders on time
    OpenStats,
    /// 营业报表: daily ↔ monthly
    SwitchReportKind,
    /// 营业报表: the next file format (all three, PDF, Excel, CSV)
    SwitchReportFormat,
    /// 营业报表: make the report and write its files
    WriteReport,
    OpenAudit,
    OpenCustomers,
    OpenAreas,
    /// 新建客户档案
    NewFile,
    EditFile,
    Accept,
    /// 新申请人受理 (an order for someone without a file yet)
    AcceptNew,
    NewArea,
    EditArea,
    CompleteStage,
    RecordContact,
    SupplyDocument,
    AddFee,
    CollectFee,
    Dispatch,
    CancelOrder,
    PauseClock,
    FastChannel,
    ResumeClock,
    /// print (or reprint) an order's 受理回执
    PrintSlip,
    OpenCalendar,
    AddDay,
    MarkYear,
    PrevYear,
    NextYear,
    Filter,
    IncompleteFiles,
    OpenSettings,
    OpenAccounts,
    ChangePassword,
    EditSetting,
    ResetDefault,
    PrintTestPage,
    NewAccount,
    ResetPassword,
    ToggleActive,
    VerifyChain,
    PrintKeySheet,
    EditStation,
    /// 数据交接: the bundles for the provincial system (from the settings)
    OpenHandover,
    /// write the bundle of the changes since the last confirmed one
    ExportBundle,
    /// the county has taken the selected bundle
    ConfirmBundle,
    RevealContact,
    Yes,
    No,
    SwitchUser,
    OpenAssessment,
    PrevMonth,
    NextMonth,
    ConfirmEntry,
    WaiveEntry,
    ReopenEntry,
    OpenRules,
    EditRule,
    OpenSummary,
    PrintSummary,
    ExportCsv,
    TakePayment,
    OpenReceipts,
    FindReceipt,
    ReprintReceipt,
    ChangeCustomer,
    WaiveLateFee,
    OpenOutages,
    DeclareOutage,
    OpenDayEnd,
    VoidReceipt,
    ReverseReceipt,
    PrevDay,
    NextDay,
    CountCash,
    PrintDayEnd,
    OpenHistory,
    /// the previous / next tab of a screen with tabs (the meters' statuses)
    PrevTab,
    NextTab,
    /// find a meter by its asset number (typed or scanned)
    FindMeter,
    /// receive meters into stock: a range of numbers, or the supplier's file
    ReceiveMeters,
    ImportMeters,
    /// send a meter for verification, take it back passed, scrap it
    SendForTest,
    TestPassed,
    ScrapMeter,
    /// extend the verification period of a batch
    ExtendBatch,
    /// 换表 on a customer's account
    SwapMeter,
    /// set the tariff category a customer is billed at
    SetTariff,
    /// the rotation plans
    OpenRotation,
    /// propose the year's rotation plan
    ProposePlan,
    /// move a plan item (or its 台区's items of the month) to another month
    MoveItem,
    ApprovePlan,
    /// report a meter found overdue or abnormal into the plan
    ReportMeter,
    /// the plan's progress, with bars
    ShowProgress,
    /// print the month's work lists
    PrintWorkList,
    /// the on-site checks due
    OpenChecks,
    /// record an on-site check of the selected meter
    RecordCheck,
    /// log a repair call (the caller picked first)
    NewRepair,
    /// log any call or visit as a case
    NewCase,
    /// print the duty log of a shift
    PrintDutyLog,
    /// the monthly report of cases (PDF and CSV)
    CaseReport,
    /// record a step of a case's handling
    RecordStep,
    /// dispatch a case to a person or crew
    DispatchCase,
    /// record a return visit
    RecordVisit,
    /// the caller is not a customer on file
    NoCustomer,
    /// the duty log of the shift on screen
    OpenDutyLog,
    /// the reading books (抄表核算)
    OpenReading,
    /// compute the selected book's bills
    ComputeBills,
    /// the review of held bills
    OpenReview,
    /// release a book's bills
    ReleaseBook,
    /// the line-loss table
    OpenLineLoss,
    /// take a reading file
    ImportReadings,
    /// set a book's reader and reading day
    SetBook,
    /// local bills against the provincial file's
    TariffCheck,
    /// save the typed reading and go to the next meter
    SaveReading,
    /// an estimated, customer-reported or missed reading
    OtherReading,
    /// the next meter not read yet
    NextUnread,
    /// accept a review flag
    AcceptFlag,
    /// send a review flag back
    ReturnFlag,
    /// explain a 台区's line loss
    ExplainLoss,
    /// the collection rate per 台区 and reader
    OpenCollectionRate,
    /// the reading log and its messages
    OpenReadingLog,
    /// the month's spot checks
    OpenSpotChecks,
    /// record a spot check
    NewSpotCheck,
    /// a reading-log note for the meter on screen
    AddNote,
    /// save the typed reading as a register rollover
    ConfirmRollover,
    /// hand a note on to the person responsible
    PassOn,
    /// answer a message
    GiveFeedback,
    /// 欠费催收: the arrears list
    OpenCollection,
    /// mark the selected customer's arrears deliberate or not
    MarkArrears,
    /// print the selected customer's reminder notice
    PrintReminder,
    /// print the reminder notices of the selected customer's 台区
    PrintAreaReminders,
    /// print the written disconnection notice
    PrintDisconnectNotice,
    /// record a disconnection (confirmed once)
    RecordDisconnection,
    /// open the 复电 order after payment
    Reconnect,
    /// the customers past the cut-off only / everyone
    ToggleCandidates,
    /// 稽查: show every row of a view, not the first page
    ShowAll,
    /// 限期整改: the auditor records a finding
    NewFinding,
    /// 限期整改: the person responsible records the fix
    RecordFix,
    /// 限期整改: the auditor accepts the fix
    AcceptFix,
    /// 限期整改: the auditor sends the fix back
    ReturnFix,
    /// 限期整改: the month's audit report (PDF)
    PrintAuditReport,
}

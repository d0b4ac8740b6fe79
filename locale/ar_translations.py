# ruff: noqa: E501  (a translation table: one message per line reads best)
"""Arabic translations of the UI, kept as a table so they can be re-applied after
`makemessages` (python locale/ar_translations.py fills locale/ar/LC_MESSAGES/django.po).

Verdict labels follow the product brief: True/صحيح, Misleading/مضلل, False/خاطئ,
Unproven/غير مثبت."""

AR = {
    "People, roles and API tokens": "الأشخاص والأدوار ورموز الواجهة البرمجية",
    "name": "الاسم",
    "Who or what uses it.": "من يستخدمه أو ما الذي يستخدمه.",
    "expires": "ينتهي في",
    "API token": "رمز الواجهة البرمجية",
    "API tokens": "رموز الواجهة البرمجية",
    "Reviewer": "مدقّق",
    "Editor": "محرّر",
    "Admin": "مدير",
    "Articles, claims and verdicts": "المقالات والادعاءات والأحكام",
    "Detect automatically": "اكتشاف تلقائي",
    "Arabic": "العربية",
    "English": "الإنجليزية",
    "Paste the article text": "الصق نص المقال",
    "or upload a file (plain text or HTML)": "أو ارفع ملفًا (نص عادي أو HTML)",
    "or give its address (URL)": "أو أدخل عنوانه (URL)",
    "Title (optional)": "العنوان (اختياري)",
    "Language": "اللغة",
    "The file is too large (at most %(max)s bytes).": "الملف كبير جدًا (الحد الأقصى %(max)s بايت).",
    "Paste a text, upload a file or give a URL.": "الصق نصًا أو ارفع ملفًا أو أدخل عنوان URL.",
    "Give only one of: pasted text, a file, or a URL.": "أدخل واحدًا فقط: نصًا ملصوقًا أو ملفًا أو عنوان URL.",
    "Wording to check": "الصياغة المراد التحقق منها",
    "Make the claim understandable on its own (e.g. name the subject).": "اجعل الادعاء مفهومًا بذاته (مثلًا: اذكر الفاعل صراحة).",
    "or type the text of the first part": "أو اكتب نص الجزء الأول",
    "Type the beginning of the claim exactly as it reads, not all of it.": "اكتب بداية الادعاء كما وردت تمامًا، لا الادعاء كله.",
    "Choose where to split the claim.": "اختر موضع تقسيم الادعاء.",
    "Label": "التصنيف",
    "Not chosen yet": "لم يُختر بعد",
    "Summary": "الملخص",
    "Rationale": "التعليل",
    "Cited evidence": "الأدلة المستشهد بها",
    "Comment for the author": "تعليق للكاتب",
    "Reason for withdrawal": "سبب السحب",
    "Add a source by URL": "أضف مصدرًا عبر عنوان URL",
    "or upload a document (PDF, HTML or text)": "أو ارفع مستندًا (PDF أو HTML أو نص)",
    "Me": "أنا",
    "Unassigned": "غير مُسند",
    "Anyone": "أي شخص",
    "Article": "المقال",
    "State": "الحالة",
    "Any state": "أي حالة",
    "Assigned to": "مُسند إلى",
    "Any language": "أي لغة",
    "Minimum score": "الحد الأدنى للدرجة",
    "Sort by": "الترتيب حسب",
    "Score, highest first": "الدرجة، الأعلى أولًا",
    "Position in article": "الموضع في المقال",
    "Waiting to be processed": "بانتظار المعالجة",
    "Extracting claims": "جارٍ استخراج الادعاءات",
    "Ready": "جاهز",
    "Failed": "فشل",
    "title": "العنوان",
    "text": "النص",
    "language": "اللغة",
    "URL": "عنوان URL",
    "publisher": "الناشر",
    "published": "تاريخ النشر",
    "article": "مقال",
    "articles": "مقالات",
    "New": "جديد",
    "In review": "قيد المراجعة",
    "Verdict submitted": "قُدّم الحكم",
    "Published": "منشور",
    "Not check-worthy": "لا يستحق التحقق",
    "Superseded": "مُستبدل",
    "Extracted automatically": "مستخرج تلقائيًا",
    "Split by a reviewer": "قسّمه مدقّق",
    "Merged by a reviewer": "دمجه مدقّق",
    "text in the article": "النص في المقال",
    "review wording": "صياغة المراجعة",
    "check-worthiness": "جدارة التحقق",
    "state": "الحالة",
    "claim": "ادعاء",
    "claims": "ادعاءات",
    "True": "صحيح",
    "Misleading": "مضلل",
    "False": "خاطئ",
    "Unproven": "غير مثبت",
    "Draft": "مسودة",
    "Submitted": "مُقدَّم",
    "Returned": "مُعاد",
    "Approved": "معتمد",
    "Withdrawn": "مسحوب",
    "label": "التصنيف",
    "summary": "الملخص",
    "rationale": "التعليل",
    "cited evidence": "الأدلة المستشهد بها",
    "status": "الحالة",
    "verdict": "حكم",
    "verdicts": "أحكام",
    "This %(what)s was changed by someone else while you were editing it (your version %(mine)s, now %(theirs)s). Review their change and try again.": "غيّر شخص آخر هذا الـ%(what)s أثناء تحريرك له (نسختك %(mine)s، والآن %(theirs)s). راجع تعديله ثم حاول مرة أخرى.",
    "Only reviewers can edit claims.": "لا يحرر الادعاءات إلا المدققون.",
    "This claim was split or merged; edit the claims that replaced it.": "قُسّم هذا الادعاء أو دُمج؛ حرّر الادعاءات التي حلّت محله.",
    "The wording is too long (at most 5,000 characters).": "الصياغة طويلة جدًا (الحد الأقصى 5000 حرف).",
    "Only reviewers can take claims.": "لا يتولى الادعاءات إلا المدققون.",
    "Only editors can assign claims to someone else.": "لا يُسند الادعاءات إلى الآخرين إلا المحررون.",
    "Claims can only be assigned to reviewers.": "لا تُسند الادعاءات إلا إلى المدققين.",
    "Only reviewers can triage claims.": "لا يفرز الادعاءات إلا المدققون.",
    "This claim is not marked as not check-worthy.": "هذا الادعاء ليس موسومًا بأنه لا يستحق التحقق.",
    "Only claims that are new or in review can be marked not check-worthy.": "لا يوسم بعدم استحقاق التحقق إلا ادعاء جديد أو قيد المراجعة.",
    "This claim has a verdict; withdraw or delete it first.": "لهذا الادعاء حكم؛ اسحبه أو احذفه أولًا.",
    "A claim cannot be empty.": "لا يمكن أن يكون الادعاء فارغًا.",
    "A claim with a submitted or published verdict cannot be changed.": "لا يمكن تغيير ادعاء له حكم مُقدَّم أو منشور.",
    "This claim has a verdict in progress; delete it first.": "لهذا الادعاء حكم قيد الإعداد؛ احذفه أولًا.",
    "Only reviewers can split claims.": "لا يقسّم الادعاءات إلا المدققون.",
    "Split points must fall strictly inside the claim.": "يجب أن تقع نقاط التقسيم داخل الادعاء.",
    "Only reviewers can merge claims.": "لا يدمج الادعاءات إلا المدققون.",
    "Choose at least two claims to merge.": "اختر ادعاءين على الأقل للدمج.",
    "Only claims of the same article can be merged.": "لا تُدمج إلا ادعاءات من المقال نفسه.",
    "Only adjacent claims can be merged; another claim lies between.": "لا تُدمج إلا الادعاءات المتجاورة؛ يوجد ادعاء آخر بينهما.",
    "Cited evidence must belong to this claim.": "يجب أن تخص الأدلة المستشهد بها هذا الادعاء.",
    "Only reviewers can write verdicts.": "لا يكتب الأحكام إلا المدققون.",
    "This claim is not open for a verdict.": "هذا الادعاء غير متاح لإصدار حكم.",
    "Unknown verdict label: %(label)s.": "تصنيف حكم غير معروف: %(label)s.",
    "The verdict you were editing no longer exists.": "الحكم الذي كنت تحرره لم يعد موجودًا.",
    "This verdict is %(status)s and can no longer be edited.": "حالة هذا الحكم «%(status)s» ولم يعد قابلًا للتحرير.",
    "Only the author of this verdict can edit it.": "لا يحرر هذا الحكم إلا كاتبه.",
    "Only the author can submit this verdict.": "لا يقدّم هذا الحكم إلا كاتبه.",
    "Only a draft or returned verdict can be submitted.": "لا يُقدَّم إلا حكم في حالة مسودة أو مُعاد.",
    "Choose a label before submitting.": "اختر تصنيفًا قبل التقديم.",
    "Write a summary before submitting.": "اكتب ملخصًا قبل التقديم.",
    "A verdict of %(label)s must cite at least one evidence item.": "يجب أن يستشهد حكم «%(label)s» بدليل واحد على الأقل.",
    "Only editors can %(action)s verdicts.": "هذا الإجراء على الأحكام (%(action)s) للمحررين فقط.",
    "A %(status)s verdict cannot be %(action)s.": "لا يمكن تنفيذ الإجراء (%(action)s) على حكم حالته «%(status)s».",
    "Nobody approves their own verdict.": "لا يعتمد أحد حكمًا كتبه بنفسه.",
    "Say why the verdict is returned.": "اذكر سبب إعادة الحكم.",
    "Say why the verdict is withdrawn.": "اذكر سبب سحب الحكم.",
    "Only the author can delete this draft.": "لا يحذف هذه المسودة إلا كاتبها.",
    "Only a draft or returned verdict can be deleted.": "لا يُحذف إلا حكم في حالة مسودة أو مُعاد.",
    "Processing failed": "فشلت المعالجة",
    "no reason was recorded": "لم يُسجَّل سبب",
    "Refresh": "تحديث",
    "system": "النظام",
    "No changes recorded yet.": "لم تُسجَّل تغييرات بعد.",
    "Claims": "الادعاءات",
    "Score": "الدرجة",
    "Claim": "الادعاء",
    "Untitled article": "مقال بلا عنوان",
    "Pages": "الصفحات",
    "Previous": "السابق",
    "Page %(n)s of %(total)s": "الصفحة %(n)s من %(total)s",
    "Next": "التالي",
    "No claims match these filters.": "لا توجد ادعاءات تطابق هذه المرشحات.",
    "Keyboard": "لوحة المفاتيح",
    "next": "التالي",
    "previous": "السابق",
    "open": "فتح",
    "Verdict": "الحكم",
    "Returned by the editor": "أعاده المحرر",
    "The verdict as it now stands (by %(who)s):": "الحكم بصيغته الحالية (بقلم %(who)s):",
    "Your text is kept below. Saving again replaces theirs.": "نصك محفوظ أدناه. الحفظ مرة أخرى يستبدل نصهم.",
    "True and False verdicts must cite at least one source; none is available yet.": "يجب أن يستشهد الحكمان «صحيح» و«خاطئ» بمصدر واحد على الأقل؛ ولا يتوفر أي مصدر بعد.",
    "Save draft": "حفظ المسودة",
    "Submit for approval": "تقديم للاعتماد",
    "Author": "الكاتب",
    "Approved by": "اعتمده",
    "Approve": "اعتماد",
    "Approve and publish": "اعتماد ونشر",
    "Publish": "نشر",
    "You wrote this verdict; another editor must approve it.": "أنت كاتب هذا الحكم؛ يجب أن يعتمده محرر آخر.",
    "Return to the author": "إعادة إلى الكاتب",
    "Withdraw the published verdict": "سحب الحكم المنشور",
    "%(who)s is writing this verdict.": "يكتب %(who)s هذا الحكم.",
    "Withdrawn verdicts": "الأحكام المسحوبة",
    "Approval": "الاعتماد",
    "Verdicts waiting for approval": "أحكام بانتظار الاعتماد",
    "Read the evidence, or return it with a comment": "اقرأ الأدلة، أو أعده مع تعليق",
    "Nothing is waiting for approval.": "لا شيء بانتظار الاعتماد.",
    "Recently published": "نُشر مؤخرًا",
    "Nothing published yet.": "لم يُنشر شيء بعد.",
    "Dashboard": "لوحة المتابعة",
    "Article text": "نص المقال",
    "Check-worthiness": "جدارة التحقق",
    "Open in the queue": "فتح في قائمة الانتظار",
    "New article": "مقال جديد",
    "Paste the text, upload a file, or give the article's address. Claims are extracted automatically; an address is fetched in the background.": "الصق النص، أو ارفع ملفًا، أو أدخل عنوان المقال. تُستخرج الادعاءات تلقائيًا، ويُجلب العنوان في الخلفية.",
    "Add the article": "إضافة المقال",
    "Claim queue": "قائمة الادعاءات",
    "Already checked elsewhere": "سبق التحقق منه في مكان آخر",
    "no rating": "بلا تقييم",
    "Assign to me": "إسناد إليّ",
    "Release (unassign)": "إلغاء الإسناد",
    "Reopen: check-worthy after all": "إعادة الفتح: يستحق التحقق",
    "Mark not check-worthy": "وسم بأنه لا يستحق التحقق",
    "In the article": "في المقال",
    "Why it may be worth checking": "لماذا قد يستحق التحقق",
    "Edit the wording": "تحرير الصياغة",
    "Their current wording:": "صياغتهم الحالية:",
    "Save the wording": "حفظ الصياغة",
    "Split or merge": "تقسيم أو دمج",
    "Split after": "التقسيم بعد",
    "Split here": "التقسيم هنا",
    "Merge with the previous claim": "الدمج مع الادعاء السابق",
    "Merge with the next claim": "الدمج مع الادعاء التالي",
    "Candidate sources": "المصادر المرشحة",
    "Search for sources": "البحث عن مصادر",
    "No candidate sources yet. Search for sources, or add one by URL or upload.": "لا توجد مصادر مرشحة بعد. ابحث عن مصادر، أو أضف مصدرًا عبر عنوان URL أو بالرفع.",
    "History": "السجل",
    "Back to the claim": "العودة إلى الادعاء",
    "Articles": "المقالات",
    "Progress": "التقدم",
    "Reviewed": "رُوجع",
    "%(t)s triaged · %(r)s reviewed · %(p)s published": "فُرز %(t)s · رُوجع %(r)s · نُشر %(p)s",
    "No articles yet.": "لا توجد مقالات بعد.",
    "Add the first one.": "أضف أول مقال.",
    "My claims": "ادعاءاتي",
    "Take the next claim": "تولَّ الادعاء التالي",
    "No claims are assigned to you.": "لا توجد ادعاءات مسندة إليك.",
    "Recent activity": "النشاط الأخير",
    "Nothing has happened yet.": "لم يحدث شيء بعد.",
    "Filter": "تصفية",
    "Your account has no role in the workbench yet. Ask an administrator to make you a reviewer or an editor.": "ليس لحسابك دور في منصة العمل بعد. اطلب من مدير أن يجعلك مدققًا أو محررًا.",
    "Your role does not allow this.": "دورك لا يسمح بهذا.",
    "The article is being processed.": "تجري معالجة المقال.",
    "The article was added.": "أُضيف المقال.",
    "There is no unassigned new claim left.": "لم يتبق ادعاء جديد غير مسند.",
    "This claim is now assigned to you.": "أصبح هذا الادعاء مسندًا إليك.",
    "No such claim.": "لا يوجد ادعاء كهذا.",
    "The wording was saved.": "حُفظت الصياغة.",
    "Say whom to assign the claim to.": "حدد لمن يُسند الادعاء.",
    "You released this claim.": "ألغيت إسناد هذا الادعاء إليك.",
    "Say which state the claim should be in.": "حدد الحالة المطلوبة للادعاء.",
    "Marked as not check-worthy.": "وُسم بأنه لا يستحق التحقق.",
    "The claim is open again.": "أُعيد فتح الادعاء.",
    "The claim was split into %(n)d claims.": "قُسّم الادعاء إلى %(n)d ادعاءات.",
    "There is no adjacent claim to merge with.": "لا يوجد ادعاء مجاور للدمج معه.",
    "The claims were merged.": "دُمجت الادعاءات.",
    "Searching for sources: %(n)d jobs started.": "جارٍ البحث عن مصادر: بدأت %(n)d مهام.",
    "The verdict was submitted for approval.": "قُدّم الحكم للاعتماد.",
    "The draft was saved.": "حُفظت المسودة.",
    "The verdict was approved.": "اعتُمد الحكم.",
    "The verdict was published.": "نُشر الحكم.",
    "The verdict was returned to its author.": "أُعيد الحكم إلى كاتبه.",
    "The verdict was withdrawn.": "سُحب الحكم.",
    "Candidate sources and jobs": "المصادر المرشحة والمهام",
    "Found by a provider": "وجده مزوّد",
    "URL given by a reviewer": "عنوان أدخله مدقق",
    "Document uploaded by a reviewer": "مستند رفعه مدقق",
    "Not fetched yet": "لم يُجلب بعد",
    "Fetched": "جُلب",
    "Fetch failed": "فشل الجلب",
    "Snippet only": "مقتطف فقط",
    "domain": "النطاق",
    "provider snippet": "مقتطف المزوّد",
    "text snapshot": "لقطة النص",
    "fetched": "وقت الجلب",
    "source": "مصدر",
    "sources": "مصادر",
    "Unlabelled": "بلا وسم",
    "Supports": "يؤيد",
    "Refutes": "يدحض",
    "Context": "سياق",
    "Irrelevant": "غير ذي صلة",
    "evidence": "دليل",
    "Imported file": "ملف مستورد",
    "Google Fact Check Tools": "أدوات Google للتحقق من الحقائق",
    "claim reviewed": "الادعاء المُراجَع",
    "rating": "التقييم",
    "reviewed": "تاريخ المراجعة",
    "earlier fact-check": "تحقق سابق",
    "earlier fact-checks": "تحققات سابقة",
    "Provider search": "بحث لدى مزوّد",
    "Page fetch": "جلب صفحة",
    "Queued": "في الانتظار",
    "Running": "قيد التنفيذ",
    "Retrying": "إعادة المحاولة",
    "Succeeded": "نجح",
    "fetch job": "مهمة جلب",
    "fetch jobs": "مهام الجلب",
    "Only reviewers can label evidence.": "لا يسم الأدلة إلا المدققون.",
    "Unknown stance: %(stance)s.": "موقف غير معروف: %(stance)s.",
    "Evidence of a published or superseded claim cannot be relabelled.": "لا يمكن إعادة وسم أدلة ادعاء منشور أو مُستبدل.",
    "Add a source": "إضافة مصدر",
    "Fetch": "جلب",
    "Fetching the page; it appears in the jobs list.": "جارٍ جلب الصفحة؛ ستظهر في قائمة المهام.",
    "Upload": "رفع",
    "Provider": "المزوّد",
    "fetch failed": "فشل الجلب",
    "No passage.": "لا يوجد مقطع.",
    "This source": "هذا المصدر",
    "Clear": "مسح",
    "Jobs": "المهام",
    "Job": "المهمة",
    "Status": "الحالة",
    "Found": "النتائج",
    "attempt %(n)s": "المحاولة %(n)s",
    "Retry": "إعادة المحاولة",
    "No jobs for this claim yet.": "لا توجد مهام لهذا الادعاء بعد.",
    "No such evidence.": "لا يوجد دليل كهذا.",
    "Choose a stance.": "اختر موقفًا.",
    "The document was added to the candidate sources.": "أُضيف المستند إلى المصادر المرشحة.",
    "The job will be tried again.": "ستُعاد محاولة المهمة.",
    "Not allowed": "غير مسموح",
    "You do not have permission to see this page.": "ليست لديك صلاحية لعرض هذه الصفحة.",
    "Back to the dashboard": "العودة إلى لوحة المتابعة",
    "Not found": "غير موجود",
    "There is nothing at this address. It may have been removed, or the link is wrong.": "لا يوجد شيء في هذا العنوان. ربما حُذف، أو أن الرابط خاطئ.",
    "Claim workbench": "منصة التحقق من الادعاءات",
    "Skip to content": "تخطَّ إلى المحتوى",
    "Main": "الرئيسية",
    "Sign out": "تسجيل الخروج",
    "Too many failed sign-ins": "محاولات دخول فاشلة كثيرة",
    "Ask an administrator to unlock it.": "اطلب من مدير إلغاء القفل.",
    "Back to sign in": "العودة إلى تسجيل الدخول",
    "Sign in": "تسجيل الدخول",
    "Username": "اسم المستخدم",
    "Password": "كلمة المرور",
    "start offset": "موضع البداية",
    "end offset": "موضع النهاية",
    "assigned to": "مُسند إلى",
    "editor's comment": "تعليق المحرر",
    "reason for withdrawal": "سبب السحب",
    "No candidate sources yet.": "لا توجد مصادر مرشحة بعد.",
    "Every job has finished.": "انتهت كل المهام.",
    "The claim is now unassigned.": "أصبح الادعاء غير مُسند.",
    "The claim is now assigned to %(name)s.": "أصبح الادعاء مُسندًا إلى %(name)s.",
    "Assign to": "إسناد إلى",
    "Assign": "إسناد",
    "This claim was split or merged. Continue with:": "قُسّم هذا الادعاء أو دُمج. تابع مع:",
    "The form was incomplete; reload the page and try again.": "النموذج غير مكتمل؛ أعد تحميل الصفحة وحاول مرة أخرى.",
    "There is no draft to delete.": "لا توجد مسودة لحذفها.",
    "The draft was deleted.": "حُذفت المسودة.",
    "Delete this draft": "حذف هذه المسودة",
    "Reload to see the new sources": "أعد تحميل الصفحة لرؤية المصادر الجديدة",
    "Any article": "أي مقال",
    "Stance": "الموقف",
}

# Change reasons in the history (msgctxt "history").
AR_HISTORY = {
    "wording edited": "عُدّلت الصياغة",
    "assigned": "أُسند",
    "taken": "تولّاه",
    "marked not check-worthy": "وُسم بأنه لا يستحق التحقق",
    "restored": "أُعيد فتحه",
    "split": "قُسّم",
    "merged": "دُمج",
    "draft saved": "حُفظت المسودة",
    "verdict started": "بدأ الحكم",
    "submitted": "قُدّم",
    "verdict submitted": "قُدّم الحكم",
    "approved": "اعتُمد",
    "returned": "أُعيد",
    "verdict returned": "أُعيد الحكم",
    "verdict published": "نُشر الحكم",
    "withdrawn": "سُحب",
    "verdict withdrawn": "سُحب الحكم",
    "published": "نُشر",
}

# Plural entries: (singular msgid) -> text used for every Arabic plural form.
AR_PLURAL = {
    "%(n)s verdict is waiting for approval.": "أحكام بانتظار الاعتماد: %(n)s",
    "%(n)s claim": "%(n)s ادعاء",
    "Signing in failed %(limit)s time in a row, so this account is locked for now on this computer.": "فشل تسجيل الدخول %(limit)s مرات متتالية، لذا قُفل هذا الحساب مؤقتًا على هذا الجهاز.",
    "Try again in %(minutes)s minute, or ask an administrator to unlock it.": "حاول مرة أخرى بعد %(minutes)s دقيقة، أو اطلب من مدير إلغاء القفل.",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(path: str) -> tuple[int, list[str]]:
    """Write the translations into the .po file at ``path``; returns (filled, missing)."""
    import ast

    lines = open(path, encoding="utf-8").read().split("\n")
    out, missing, filled = [], [], 0
    context = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            line.startswith("msgid ")
            and line != 'msgid ""'
            or (
                line == 'msgid ""'
                and i + 1 < len(lines)
                and lines[i + 1].startswith('"')
                and out
                and not out[-1].startswith("# SOME")
                and any(x.startswith("#:") for x in out[-3:])
            )
        ):
            msgid = ast.literal_eval(line[6:])
            block = [line]
            i += 1
            while i < len(lines) and lines[i].startswith('"'):
                msgid += ast.literal_eval(lines[i])
                block.append(lines[i])
                i += 1
            plural_block = []
            if i < len(lines) and lines[i].startswith("msgid_plural"):
                plural_block.append(lines[i])
                i += 1
                while i < len(lines) and lines[i].startswith('"'):
                    plural_block.append(lines[i])
                    i += 1
            # skip the existing msgstr lines
            while i < len(lines) and (lines[i].startswith("msgstr") or lines[i].startswith('"')):
                i += 1
            out.extend(block + plural_block)
            if plural_block:
                text = AR_PLURAL.get(msgid)
                if text is None:
                    missing.append(msgid)
                    text = ""
                else:
                    filled += 1
                out.extend(f"msgstr[{n}] {_quote(text)}" for n in range(6))
            else:
                table = AR_HISTORY if context == "history" else AR
                text = table.get(msgid)
                if text is None:
                    missing.append(msgid)
                    text = ""
                else:
                    filled += 1
                out.append(f"msgstr {_quote(text)}")
            context = None
            continue
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line[8:])
        if line == "#, fuzzy" or line.startswith("#| "):
            i += 1  # every message is translated from the tables: none is fuzzy
            continue
        if line.startswith("#, fuzzy, "):
            line = "#, " + line[len("#, fuzzy, ") :]
        out.append(line)
        i += 1
    text = "\n".join(out)
    text = text.replace('"Language-Team: LANGUAGE <LL@li.org>\\n"', '"Language-Team: Arabic\\n"')
    text = text.replace('"Language: \\n"', '"Language: ar\\n"')
    text = text.replace(
        '"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: workbench\\n"'
    )
    open(path, "w", encoding="utf-8").write(text)
    return filled, missing


if __name__ == "__main__":
    import pathlib

    po = pathlib.Path(__file__).parent / "ar" / "LC_MESSAGES" / "django.po"
    done, todo = fill(str(po))
    print(f"{done} translated; {len(todo)} missing")
    for msgid in todo:
        print("  missing:", msgid)

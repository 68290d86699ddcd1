BRANCH_IF(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2));

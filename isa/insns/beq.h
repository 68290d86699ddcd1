// beq
BRANCH_IF(RS1 == RS2);

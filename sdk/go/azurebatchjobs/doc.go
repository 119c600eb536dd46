// Azure Batch jobs with typed Job Preparation, Job Release and Job Manager tasks, plan-time validation and precise diffs.
package azurebatchjobs
